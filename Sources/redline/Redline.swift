import RedlineCLI

/// The executable: all of it lives in RedlineCLI, where tests can reach it.
@main
struct Redline {
    static func main() async {
        await RedlineCommand.main()
    }
}
