// CurlMulti: one libcurl multi handle driven from the libuv loop through the multi-socket API
// (the pattern of curl's docs/examples/multi-uv.c): CURLMOPT_SOCKETFUNCTION keeps one SocketPoll
// per socket libcurl wants watched, CURLMOPT_TIMERFUNCTION arms one uv timer, and both call
// curl_multi_socket_action; finished transfers come out of curl_multi_info_read.
// Everything runs on the loop thread. The multi's connection cache is what reuses connections.
//
// Re-entrancy: libcurl forbids curl_multi_* calls from inside its callbacks (it answers
// CURLM_RECURSIVE_API_CALL), and our write/header callbacks run user code (onHead, onBody) that
// may well cancel, resume, start or close. So every call into libcurl that can run callbacks
// increments `curlDepth`; while it is non-zero, operations that need libcurl are queued and run
// as soon as libcurl has returned (`outsideCurl`), before finished transfers are collected.
// `later` instead waits for the next loop turn (a zero-delay timer): resume() uses it so that
// body bytes never arrive from inside resume() itself.
import CCurl
import CLibUV
import UVKit

/// What a multi tells the owner of an easy handle it carries.
protocol CurlAttachment: AnyObject {
    /// The transfer finished (CURLMSG_DONE); the handle is still in the multi.
    func curlDone(_ code: CURLcode)
    /// The multi was closed; the handle has already been removed from it.
    func multiClosed()
}

public final class CurlMulti {
    public let loop: EventLoop
    public let options: Options
    private let multi: UnsafeMutableRawPointer
    private var polls: [Int32: SocketPoll] = [:]
    private let timer: Timer
    private let kick: Timer
    private var kickArmed = false
    private var deferred: [() -> Void] = []
    private var attached: [UnsafeMutableRawPointer: CurlAttachment] = [:]
    private var tunnels: [ObjectIdentifier: CurlTunnel] = [:]
    private var curlDepth = 0
    private var afterCurl: [() -> Void] = []
    /// Set at once by close(), even when the teardown itself has to wait for libcurl to return.
    public private(set) var isClosed = false
    private var tornDown = false

    public init(loop: EventLoop, options: Options = Options()) throws(UpstreamError) {
        // Reference-counted, and thread-safe in this build (curl-config --features: threadsafe).
        guard curl_global_init(ccurl_global_default()) == CURLE_OK, let handle = curl_multi_init() else {
            throw .other(code: -1, message: "curl_multi_init failed")
        }
        self.loop = loop
        self.options = options
        multi = handle
        timer = Timer(loop: loop)
        kick = Timer(loop: loop)
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        _ = ccurl_multi_setopt_socketfunction(multi, curlSocketCallback)
        _ = ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        _ = ccurl_multi_setopt_timerfunction(multi, curlTimerCallback)
        options.apply(to: multi)
    }

    deinit {
        // Transfers and tunnels retain their multi, so none is left here; this frees the handles.
        close()
    }

    /// Transfers started and not finished.
    public var activeTransfers: Int { attached.count }

    /// Starts a transfer; its handler hears from it on this loop. Throws only for what can be told
    /// before anything is sent (a malformed request, a closed multi).
    @discardableResult
    public func start(_ request: UpstreamRequest, _ handler: UpstreamHandler) throws(UpstreamError) -> UpstreamTransfer {
        guard !isClosed else { throw .invalidRequest("the upstream client is closed") }
        let transfer = try UpstreamTransfer(multi: self, request: request, handler: handler)
        if curlDepth == 0 {
            if let error = transfer.begin() {
                transfer.discard()
                throw error
            }
        } else {
            // Started from inside onHead/onBody: curl_multi_add_handle has to wait for libcurl to
            // return; a failure then arrives through onComplete.
            afterCurl.append { [self] in
                if tornDown { return transfer.multiClosed() }
                if let error = transfer.begin() { transfer.fail(error) }
            }
        }
        return transfer
    }

    /// Stops every transfer and tunnel (each still running hears `.cancelled`), frees the multi
    /// handle, its sockets' poll handles and its timers. Idempotent.
    public func close() {
        guard !tornDown else { return }
        isClosed = true
        if curlDepth > 0 { return afterCurl.append { [self] in close() } }
        tornDown = true
        // The polls go first: libcurl closes its sockets below and uv_close stops watching at once.
        for poll in polls.values { poll.close() }
        polls = [:]
        // From here on libcurl must not call back into this object.
        _ = ccurl_multi_setopt_socketfunction(multi, nil)
        _ = ccurl_multi_setopt_timerfunction(multi, nil)
        timer.close()
        kick.close()
        deferred = []
        let owners = attached
        attached = [:]
        for easy in owners.keys { curl_multi_remove_handle(multi, easy) }
        curl_multi_cleanup(multi)
        let open = tunnels
        tunnels = [:]
        for owner in owners.values { owner.multiClosed() }
        for tunnel in open.values { tunnel.parentClosed() }
    }

    // MARK: - For transfers and tunnels

    /// Adds an easy handle; nil on success. Only outside libcurl callbacks.
    func attach(_ easy: CurlEasy, _ owner: CurlAttachment) -> UpstreamError? {
        let code = curl_multi_add_handle(multi, easy.raw)
        guard code == CURLM_OK else {
            return .other(code: Int32(code.rawValue), message: String(cString: curl_multi_strerror(code)))
        }
        attached[easy.raw] = owner
        return nil
    }

    /// Removes an easy handle (libcurl closes its connection if the transfer was not finished).
    /// Only outside libcurl callbacks.
    func detach(_ easy: CurlEasy) {
        guard attached.removeValue(forKey: easy.raw) != nil, !tornDown else { return }
        curl_multi_remove_handle(multi, easy.raw)
    }

    /// curl_easy_pause with the full new pause mask; it may deliver held data synchronously.
    func setPause(_ easy: CurlEasy, mask: Int32) {
        guard !tornDown, attached[easy.raw] != nil else { return }
        enterCurl()
        _ = curl_easy_pause(easy.raw, mask)
        leaveCurl()
    }

    func register(_ tunnel: CurlTunnel) { tunnels[ObjectIdentifier(tunnel)] = tunnel }
    func unregister(_ tunnel: CurlTunnel) { tunnels[ObjectIdentifier(tunnel)] = nil }

    /// Runs `op` now if libcurl is not on the stack, else as soon as it has returned.
    func outsideCurl(_ op: @escaping () -> Void) {
        if curlDepth == 0 { op() } else { afterCurl.append(op) }
    }

    /// Runs `op` on the next loop turn, never from inside the caller.
    func later(_ op: @escaping () -> Void) {
        guard !tornDown else { return }
        deferred.append(op)
        guard !kickArmed else { return }
        kickArmed = true
        kick.start(after: 0) { [unowned self] in
            kickArmed = false
            let ops = deferred
            deferred = []
            for op in ops where !tornDown { op() }
            processMessages()
        }
    }

    /// Stops watching `fd` for libcurl: a tunnel takes the socket over after its connect-only
    /// transfer, and libuv allows one poll handle per descriptor.
    func releaseSocket(_ fd: Int32) {
        polls.removeValue(forKey: fd)?.close()
    }

    // MARK: - libcurl driving

    fileprivate func socketChanged(_ fd: Int32, what: Int32) -> Int32 {
        if what == CURL_POLL_REMOVE {
            releaseSocket(fd)
            return 0
        }
        let poll: SocketPoll
        if let existing = polls[fd] {
            poll = existing
        } else {
            do throws(UpstreamError) { poll = try SocketPoll(loop: loop, fd: fd) } catch { return -1 }
            polls[fd] = poll
        }
        var events: Int32 = 0
        if what == CURL_POLL_IN || what == CURL_POLL_INOUT { events |= Int32(UV_READABLE.rawValue) }
        if what == CURL_POLL_OUT || what == CURL_POLL_INOUT { events |= Int32(UV_WRITABLE.rawValue) }
        poll.watch(events) { [unowned self] status, events in
            var flags: Int32 = 0
            if status < 0 { flags = CURL_CSELECT_ERR }
            if events & Int32(UV_READABLE.rawValue) != 0 { flags |= CURL_CSELECT_IN }
            if events & Int32(UV_WRITABLE.rawValue) != 0 { flags |= CURL_CSELECT_OUT }
            socketAction(fd, flags)
        }
        return 0
    }

    fileprivate func timerChanged(_ timeoutMs: Int) -> Int32 {
        if timeoutMs < 0 {
            timer.stop()
        } else {
            // Never socket_action from here: this callback runs inside libcurl.
            timer.start(after: UInt64(timeoutMs), timeoutFired)
        }
        return 0
    }

    private lazy var timeoutFired: () -> Void = { [unowned self] in socketAction(ccurl_socket_timeout(), 0) }

    private func socketAction(_ fd: Int32, _ flags: Int32) {
        guard !tornDown else { return }
        var running: Int32 = 0
        enterCurl()
        _ = curl_multi_socket_action(multi, fd, flags, &running)
        leaveCurl()
    }

    private func enterCurl() { curlDepth += 1 }

    /// Back from libcurl: first what callbacks asked for (cancel, start, close), then completions.
    private func leaveCurl() {
        curlDepth -= 1
        guard curlDepth == 0 else { return }
        while !afterCurl.isEmpty {
            let ops = afterCurl
            afterCurl = []
            for op in ops { op() }
        }
        processMessages()
    }

    /// Hands finished transfers to their owners. Owners run user code (onComplete), which may
    /// start transfers or close this multi, so the closed state is checked on every round.
    private func processMessages() {
        while curlDepth == 0, !tornDown {
            var left: Int32 = 0
            guard let message = curl_multi_info_read(multi, &left) else { return }
            guard ccurl_msg_is_done(message) != 0, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_msg_result(message)
            attached[easy]?.curlDone(code)
        }
    }
}

private let curlSocketCallback: curl_socket_callback = { _, fd, what, userp, _ in
    guard let userp else { return -1 }
    return Unmanaged<CurlMulti>.fromOpaque(userp).takeUnretainedValue().socketChanged(fd, what: what)
}

private let curlTimerCallback: curl_multi_timer_callback = { _, timeoutMs, userp in
    guard let userp else { return -1 }
    return Unmanaged<CurlMulti>.fromOpaque(userp).takeUnretainedValue().timerChanged(timeoutMs)
}
