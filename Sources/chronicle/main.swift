import ChronicleCLI

ChronicleCommand.main()
