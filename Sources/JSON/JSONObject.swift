// JSONObject: an ordered JSON object. Output order is insertion order, so results read the way
// the spec examples do ("content" before "isError") and tests can pin exact bytes.
// Keys are unique: setting an existing key replaces the value in place (so a parsed object with a
// duplicate key keeps the last value, as JavaScript and Python do).

public struct JSONObject: Equatable, Sendable, Sequence {
    public typealias Element = (key: String, value: JSONValue)

    /// A struct rather than the Element tuple: tuple-typed arrays go through generic tuple
    /// metadata at runtime, which showed up as ~10% of parse time.
    fileprivate struct Member: Sendable {
        var key: String
        var value: JSONValue
    }

    private var pairs: [Member] = []
    /// Key -> position, built only once an object grows past `indexThreshold`. Why: almost every
    /// MCP object has a handful of keys, where a linear scan beats hashing, but a client-sent
    /// object with thousands of keys must not make parsing quadratic.
    private var index: [String: Int]? = nil
    private static let indexThreshold = 16

    public init() {}

    public init(_ pairs: [(String, JSONValue)]) {
        self.pairs.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { pairs.count }
    public var isEmpty: Bool { pairs.isEmpty }
    public var keys: [String] { pairs.map(\.key) }

    public struct Iterator: IteratorProtocol {
        private var base: IndexingIterator<[Member]>
        fileprivate init(_ pairs: [Member]) { base = pairs.makeIterator() }
        public mutating func next() -> Element? { base.next().map { ($0.key, $0.value) } }
    }

    public func makeIterator() -> Iterator { Iterator(pairs) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return pairs.firstIndex { $0.key == key }
    }

    /// Get a member; `set` to nil removes it, setting an existing key keeps its position.
    public subscript(_ key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return pairs[i].value
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    pairs[i].value = newValue
                } else {
                    pairs.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                pairs.append(Member(key: key, value: newValue))
                if index != nil {
                    index?[key] = pairs.count - 1
                } else if pairs.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    private mutating func rebuildIndex() {
        guard pairs.count > Self.indexThreshold else {
            index = nil
            return
        }
        var d = [String: Int](minimumCapacity: pairs.count)
        for (i, p) in pairs.enumerated() { d[p.key] = i }
        index = d
    }

    /// JSON equality: same members with equal values; member order does not matter
    /// (RFC 8259 objects are unordered). Compare `JSONWriter.encode` output to pin order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.pairs.count == rhs.pairs.count else { return false }
        for m in lhs.pairs where rhs[m.key] != m.value { return false }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
