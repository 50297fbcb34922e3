import RedlineCLI

RedlineCommand.main()
