// FlagParser: command-line words → configuration entries, driven by the settings catalog (the
// flag of a setting is its catalog row's `flag`, so there is no second list of flags to keep
// in step). `--name value` and `--name=value`; booleans are `--name` / `--no-name` (or
// `--name=false`); list and map settings repeat (`--allow-namespace a --allow-namespace b`).
// An unknown flag, a missing value or a stray word is an error naming that word.

enum FlagParser {
    static func parse(_ words: [String], index: SettingsIndex = SettingsIndex()) throws(ConfigError) -> [ConfigEntry] {
        var entries: [ConfigEntry] = []
        var listPositions: [String: Int] = [:]
        var i = 0
        while i < words.count {
            let word = words[i]
            i += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                throw word.hasPrefix("-") && word != "-" ? .unknownFlag(word) : .unexpectedArgument(word)
            }
            let body = word.dropFirst(2)
            let name: String
            var inline: String?
            if let eq = body.firstIndex(of: "=") {
                name = String(body[..<eq])
                inline = String(body[body.index(after: eq)...])
            } else {
                name = String(body)
            }
            let spelled = "--" + name
            if let setting = index.setting(forFlag: name) {
                let value: String
                if setting.kind == .bool {
                    value = inline ?? "true"
                } else if let inline {
                    value = inline
                } else {
                    guard i < words.count, !words[i].hasPrefix("--") else { throw .missingFlagValue(spelled) }
                    value = words[i]
                    i += 1
                }
                if setting.takesRepeatedFlag {
                    if let at = listPositions[setting.key], case .list(let items) = entries[at].value {
                        entries[at].value = .list(items + [value])
                    } else {
                        listPositions[setting.key] = entries.count
                        entries.append(ConfigEntry(key: setting.key, value: .list([value]), source: .flag(spelled)))
                    }
                } else {
                    entries.append(ConfigEntry(key: setting.key, value: .scalar(value), source: .flag(spelled)))
                }
            } else if name.hasPrefix("no-"), inline == nil, let setting = index.setting(forFlag: String(name.dropFirst(3))),
                      setting.kind == .bool {
                entries.append(ConfigEntry(key: setting.key, value: .scalar("false"), source: .flag(spelled)))
            } else {
                throw .unknownFlag(spelled)
            }
        }
        return entries
    }
}
