import ChronicleCLI

ChronicleCommand.runMain()
