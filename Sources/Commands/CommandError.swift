// CommandError: the one error enum of the Commands layer, with the human-readable text clients see.
// The Gateway maps every case to a 4xx / JSON-RPC invalid-params answer; texts are part of the
// contract (the kubeconfig one keeps the seed's "Invalid base64 kubeconfig: " prefix).

public enum CommandError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command ended inside a quoted string; the payload is the opening quote (' or ").
    case unterminatedQuote(Character)
    /// The command ended with a backslash that has nothing to escape.
    case danglingEscape
    /// The namespace is not a DNS-1123 label; the payload is the rejected name.
    case invalidNamespace(String)
    /// The kubeconfig payload could not be decoded; the payload is the detail after the prefix.
    case invalidBase64Kubeconfig(String)
    /// Both `command` and `args` were given.
    case commandAndArgs
    /// Neither `command` nor `args` was given.
    case missingCommand
    /// An argument contains U+0000, which execve cannot carry.
    case nulByte

    public var message: String {
        switch self {
        case .unterminatedQuote(let quote):
            let kind = quote == "'" ? "single" : "double"
            return "unterminated \(kind) quote in command"
        case .danglingEscape:
            return "command ends with a backslash that escapes nothing"
        case .invalidNamespace(let name):
            return "invalid namespace \(Self.quoted(name)): a namespace must be a DNS-1123 label: "
                + "1 to 63 characters, only lowercase letters a-z, digits 0-9 and '-', "
                + "starting and ending with a letter or digit"
        case .invalidBase64Kubeconfig(let detail):
            return "Invalid base64 kubeconfig: \(detail)"
        case .commandAndArgs:
            return "give either 'command' (a string) or 'args' (an array of strings), not both"
        case .missingCommand:
            return "missing 'command' (a string) or 'args' (an array of strings)"
        case .nulByte:
            return "command arguments must not contain NUL bytes"
        }
    }

    public var description: String { message }

    /// Echoes a rejected name safely: control characters escaped and length bounded, because the
    /// text ends up in responses and logs.
    static func quoted(_ name: String) -> String {
        let limit = 80
        var out = "\""
        var count = 0
        for scalar in name.unicodeScalars {
            if count == limit {
                out += "..."
                break
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += scalar.escaped(asASCII: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
