/// The templates of /project, the manager's grids (issue 16), registered by ConsoleTemplates.
enum ConsoleGridsTemplates {
    static let all: [(String, String)] = []
}
