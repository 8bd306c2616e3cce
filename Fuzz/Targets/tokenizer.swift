// Fuzz target tokenizer: CommandTokenizer.split on any command string, and ArgvBuilder on top.
// Properties: split never yields a word with NUL; any list of words quoted the POSIX way
// ('...' with ' written as '\'') and joined with blanks splits back into exactly those words;
// words without shell-special characters split exactly as whitespace splitting does; the argv
// ArgvBuilder returns is [toolPath] + (-n ns)? + split(command), nothing else.

private let specials = Set(" \t\n\r'\"\\".utf8)

/// POSIX single quoting, on bytes: a quote followed by a combining mark is one Character in
/// Swift, so a Character-level replace would miss it.
private func quoted(_ word: String) -> String {
    var out: [UInt8] = [UInt8(ascii: "'")]
    for b in word.utf8 {
        if b == UInt8(ascii: "'") { out += Array("'\\''".utf8) } else { out.append(b) }
    }
    out.append(UInt8(ascii: "'"))
    return String(decoding: out, as: UTF8.self)
}

private func fuzzOne(_ bytes: [UInt8]) {
    let command = text(bytes)
    if let words = try? CommandTokenizer.split(command) {
        for w in words { require(!w.utf8.contains(0), "NUL in a word") }
        // Re-quoting what was split gives the same words back.
        let again = try? CommandTokenizer.split(words.map(quoted).joined(separator: " "))
        require(again == words, "re-quoted words split differently: \(words) vs \(String(describing: again))")
        // ArgvBuilder adds only the binary and the namespace.
        let argv = try? ArgvBuilder.build(tool: .kubectl, toolPath: "/usr/bin/kubectl", command: command, args: nil,
                                          namespace: "team-a")
        require(argv == ["/usr/bin/kubectl", "-n", "team-a"] + words, "ArgvBuilder changed the words")
        let argo = try? ArgvBuilder.build(tool: .argocd, toolPath: "/x/argocd", command: command, args: nil,
                                          namespace: "team-a")
        require(argo == ["/x/argocd"] + words, "ArgvBuilder added a namespace for argocd")
    } else {
        require(bytes.contains(0) || bytes.contains(UInt8(ascii: "'")) || bytes.contains(UInt8(ascii: "\""))
                || bytes.contains(UInt8(ascii: "\\")), "split failed without a quote, backslash or NUL")
    }

    // Structured: words from the input (split at 0x1F), quoted, must come back exactly.
    let words = bytes.split(separator: 0x1F, omittingEmptySubsequences: false).map { text(Array($0)) }
        .filter { !$0.utf8.contains(0) }
    let line = words.map(quoted).joined(separator: [" ", "\t", "  ", " \\\n "][bytes.count % 4])
    do {
        let got = try CommandTokenizer.split(line)
        require(got == words, "quoted words: \(words) -> \(line.debugDescription) -> \(got)")
    } catch {
        require(false, "quoted words failed to split: \(error) for \(line.debugDescription)")
    }
    // Plain words (no specials) split like whitespace splitting.
    let plain = words.filter { !$0.utf8.contains(where: specials.contains) && !$0.isEmpty }
    require((try? CommandTokenizer.split(plain.joined(separator: " \t"))) == plain, "plain words split differently")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
