from waypoint.cli import main

main()
