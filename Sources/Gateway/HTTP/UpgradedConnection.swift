// UpgradedConnection: the client side of a connection after it switched protocols (`101`:
// kubectl exec, attach, port-forward through the API proxy). The connection stops speaking
// HTTP: bytes from the client go to `onInput` unparsed, `send` writes raw bytes, and the relay
// that owns it pauses and resumes either side for backpressure.

final class UpgradedConnection {
    private weak var connection: Connection?
    var onInput: ((UnsafeRawBufferPointer) -> Void)?
    var onClosed: (() -> Void)?
    /// Queued output fell below the low-water mark.
    var onDrained: (() -> Void)?

    init(connection: Connection) {
        self.connection = connection
    }

    var pendingWriteBytes: Int { connection?.pendingWriteBytes ?? 0 }
    var isOpen: Bool { connection?.isAlive ?? false }

    func send(_ bytes: [UInt8]) { connection?.send(bytes) }
    func pauseInput() { connection?.stream.stopReading() }
    func resumeInput() { connection?.stream.startReading() }
    /// Flush, then close (the client sees the tunnel end).
    func close() { connection?.closeTunnel() }

    fileprivate func end() {
        let callback = onClosed
        onClosed = nil
        onInput = nil
        onDrained = nil
        callback?()
    }
}

extension Connection {
    /// Takes the socket over for a tunnel: the exchange ends (as a 101), the machine stops
    /// parsing, and the bytes that followed the request are returned for the new protocol.
    func upgrade(_ exchange: Exchange) -> (UpgradedConnection, leftover: [UInt8])? {
        guard exchange === current, let leftover = machine.upgrade() else { return nil }
        current = nil
        exchange.markSwitched()
        host.exchangeCompleted(exchange)
        deadline = 0
        let upgraded = UpgradedConnection(connection: self)
        tunnel = upgraded
        return (upgraded, leftover)
    }

    /// Input, end of input and drained writes go to the tunnel once there is one.
    func tunnelReceived(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let tunnel else { return false }
        tunnel.onInput?(bytes)
        return true
    }

    func tunnelEnded() -> Bool {
        guard let tunnel else { return false }
        self.tunnel = nil
        tunnel.end()
        return true
    }

    func tunnelDrained() -> Bool {
        guard let tunnel else { return false }
        tunnel.onDrained?()
        return true
    }
}
