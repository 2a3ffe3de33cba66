from leadtriage.cli import main

main()
