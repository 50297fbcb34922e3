import RedlineCLI

await RedlineCommand.main()
