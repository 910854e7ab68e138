import Foundation

/// Finds theme files by name in the usual places and loads them, falling back to the default theme.
///
/// The four shipped themes are built into the binary: a file of the same name in a folder searched (the user's
/// `~/.config/roster/themes`, say) takes precedence, and any other `NAME.toml` there adds a theme.
public struct ThemeCatalog: Sendable {
    /// The folders searched for `NAME.toml`, first match wins.
    public var directories: [String]
    /// Paths shown in messages are relative to this folder when inside it.
    public var currentDirectory: String

    public init(directories: [String], currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.directories = directories
        self.currentDirectory = currentDirectory
    }

    /// `$ROSTER_THEMES`, `$XDG_CONFIG_HOME/roster/themes` (or `~/.config/roster/themes`), `./themes`, and
    /// `themes` or `share/roster/themes` beside any folder above the executable (a source checkout or an install).
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment, executablePath: String? = nil
    ) -> ThemeCatalog {
        var directories: [String] = []
        if let custom = environment["ROSTER_THEMES"], !custom.isEmpty { directories.append(custom) }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            directories.append(config + "/roster/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            directories.append(home + "/.config/roster/themes")
        }
        let current = FileManager.default.currentDirectoryPath
        directories.append(current + "/themes")
        let executable = executablePath ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            directories.append(folder.path + "/themes")
            directories.append(folder.path + "/share/roster/themes")
            folder.deleteLastPathComponent()
        }
        return ThemeCatalog(directories: directories, currentDirectory: current)
    }

    /// The theme names found, sorted (always including the shipped ones).
    public var names: [String] {
        var found = Set(ThemeParser.builtInTexts.keys)
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".toml") { found.insert(String(file.dropLast(5))) }
        }
        return found.sorted()
    }

    /// Loads a theme by name (or by path, when it contains `/` or ends in `.toml`).
    ///
    /// Never fails: a missing or broken theme gives the built-in default and the error to show.
    public func load(_ name: String) -> (theme: Theme, error: ThemeError?) {
        do {
            return (try loadStrictly(name), nil)
        } catch {
            return (Theme.builtIn, error)
        }
    }

    /// Loads a theme by name or path, throwing when it is missing or broken.
    public func loadStrictly(_ name: String) throws(ThemeError) -> Theme {
        let isPath = name.contains("/") || name.hasSuffix(".toml")
        let path: String
        if isPath {
            path = name
        } else if let found = directories.map({ "\($0)/\(name).toml" }).first(where: FileManager.default.fileExists) {
            path = found
        } else if name == "default" {
            return Theme.builtIn
        } else if let text = ThemeParser.builtInTexts[name] {
            return try ThemeParser.parse(text, name: name, path: "built-in \(name).toml")
        } else {
            let known = names.joined(separator: ", ")
            throw ThemeError(path: name, line: nil, message: "no such theme (themes: \(known))")
        }
        let shown = display(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(path: shown, line: nil, message: "cannot be read")
        }
        let themeName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try ThemeParser.parse(String(decoding: data, as: UTF8.self), name: themeName, path: shown)
    }

    /// A path as messages show it: relative to the current folder when inside it.
    func display(_ path: String) -> String {
        let prefix = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
