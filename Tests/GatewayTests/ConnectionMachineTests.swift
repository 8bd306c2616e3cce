// Connection lifecycle without sockets: pipelining one at a time, 100-continue, errors,
// disconnect while busy, header vs idle deadlines, shutdown while busy or idle.
import HTTP1
import Testing
@testable import Gateway

@Suite struct ConnectionMachineTests {
    typealias M = ConnectionMachine

    func dispatchedPath(_ action: M.ReceiveAction) -> String? {
        if case .advance(let a) = action, case .dispatch(let r) = a.next { return r.head.path }
        return nil
    }

    func dispatchedPath(_ action: M.ResponseAction) -> String? {
        if case .advance(let a) = action, case .dispatch(let r) = a.next { return r.head.path }
        return nil
    }

    func waiting(_ deadline: M.Deadline?, resume: Bool = false, sendContinue: Bool = false) -> M.Advance {
        M.Advance(sendContinue: sendContinue, next: .wait(deadline: deadline, resumeReading: resume))
    }

    @Test func pipelinedRequestsAreDispatchedOneAtATime() {
        var m = M(limits: ParserLimits())
        let bytes = Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(dispatchedPath(m.received(bytes)) == "/a")
        #expect(m.isBusy)
        #expect(m.received([UInt8]()) == .none)
        #expect(dispatchedPath(m.responseFinished(keepAlive: true)) == "/b")
        #expect(m.responseFinished(keepAlive: true) == .advance(waiting(.idle)))
        #expect(m.state == .waiting(.idle))
    }

    @Test func headerDeadlineIsNotPushedBackByDribbledBytes() {
        var m = M(limits: ParserLimits())
        #expect(m.received(Array("G".utf8)) == .advance(waiting(.header)))
        #expect(m.received(Array("E".utf8)) == .none)
        #expect(m.received(Array("T / HTTP/1.1\r\nX-Slow: a".utf8)) == .none)
        #expect(m.deadlineExpired() == .fail(status: 408, reason: "Request header timeout"))
    }

    @Test func partialHeadArmsHeaderDeadlineAndTimesOutWith408() {
        var m = M(limits: ParserLimits())
        #expect(m.received(Array("GET / HTTP/1.1\r\nHo".utf8)) == .advance(waiting(.header)))
        #expect(m.deadlineExpired() == .fail(status: 408, reason: "Request header timeout"))
        #expect(m.received(Array("st: x\r\n\r\n".utf8)) == .none)
        #expect(m.isClosed)
    }

    @Test func idleDeadlineClosesQuietly() {
        var m = M(limits: ParserLimits())
        #expect(m.deadlineExpired() == .close)
    }

    @Test func expectContinueInvitesTheBody() {
        var m = M(limits: ParserLimits())
        let head = Array("POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n".utf8)
        #expect(m.received(head) == .advance(waiting(.header, sendContinue: true)))
        #expect(dispatchedPath(m.received(Array("{}".utf8))) == "/t")
    }

    @Test func malformedRequestFailsAndCloses() {
        var m = M(limits: ParserLimits())
        let bad = Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        guard case .advance(let advance) = m.received(bad), case .fail(let status, _) = advance.next else {
            Issue.record("expected fail")
            return
        }
        #expect(status == 400)
        #expect(m.isClosed)
    }

    @Test func disconnectWhileBusyCancels() {
        var m = M(limits: ParserLimits())
        _ = m.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(m.peerClosed() == .cancelAndClose)
        #expect(m.responseFinished(keepAlive: true) == .none)
        #expect(m.peerClosed() == .none)
    }

    @Test func disconnectWhileIdleCloses() {
        var m = M(limits: ParserLimits())
        #expect(m.peerClosed() == .close)
    }

    @Test func connectionCloseEndsAfterResponse() {
        var m = M(limits: ParserLimits())
        _ = m.received(Array("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(m.responseFinished(keepAlive: false) == .closeGracefully)
    }

    @Test func floodWhileBusyStopsReadingThenResumes() {
        var m = M(limits: ParserLimits(), maxBufferedWhileBusy: 64)
        _ = m.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(m.received([UInt8](repeating: 0x41, count: 10)) == .none)
        #expect(m.received([UInt8](repeating: 0x41, count: 100)) == .pauseReading)
        #expect(m.received([UInt8](repeating: 0x41, count: 100)) == .none)   // already paused
        guard case .advance(let after) = m.responseFinished(keepAlive: true) else {
            Issue.record("expected the buffered input to be parsed")
            return
        }
        switch after.next {
        case .wait(_, let resume): #expect(resume)
        case .fail: break   // 110 bytes of "A" are no request: failing is right too
        case .dispatch: Issue.record("no request was sent")
        }
    }

    @Test func shutdownClosesIdleNowAndBusyAfterResponse() {
        var idle = M(limits: ParserLimits())
        #expect(idle.shutdown() == .closeGracefully)
        var busy = M(limits: ParserLimits())
        _ = busy.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(busy.shutdown() == .none)
        #expect(busy.responseFinished(keepAlive: true) == .closeGracefully)
    }

    // MARK: lingering close (issue 14 item 6)

    /// An early 413 leaves the machine discarding input instead of closed: before, the glue
    /// closed at once and a client still writing its body got a reset instead of the answer.
    @Test func earlyErrorLingersAndDiscardsInput() {
        var limits = ParserLimits()
        limits.maxBodyBytes = 1024
        var m = M(limits: limits, lingerMaxBytes: 10)
        let head = Array("POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n".utf8)
        guard case .advance(let a) = m.received(head), case .fail(let status, _) = a.next else {
            Issue.record("no 413")
            return
        }
        #expect(status == 413)
        #expect(m.state == .lingering(discarded: 0))
        #expect(m.received(Array(repeating: 0x41, count: 6)) == .none)
        #expect(m.state == .lingering(discarded: 6))
        #expect(m.received(Array(repeating: 0x41, count: 5)) == .close)   // over the byte limit
        #expect(m.state == .closed)
    }

    @Test func lingeringEndsWhenTheClientClosesOrTheDeadlinePasses() {
        var m = M(limits: ParserLimits())
        // pipelined input waits behind a Connection: close request: it is discarded, not answered
        _ = m.received(Array("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\n".utf8))
        #expect(m.responseFinished(keepAlive: false) == .closeGracefully)
        #expect(m.state == .lingering(discarded: 0))
        #expect(m.received(Array("Host: x\r\n\r\n".utf8)) == .none)   // never dispatched
        #expect(m.peerClosed() == .close)
        var timed = M(limits: ParserLimits())
        _ = timed.received(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n".utf8))
        #expect(timed.isLingering)
        #expect(timed.deadlineExpired() == .close)
        #expect(timed.state == .closed)
    }

    @Test func aWholeRequestOrAnIdleShutdownClosesWithoutLingering() {
        var m = M(limits: ParserLimits())
        _ = m.received(Array("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(m.responseFinished(keepAlive: false) == .closeGracefully)
        #expect(m.state == .closed)
        var idle = M(limits: ParserLimits())
        #expect(idle.shutdown() == .closeGracefully)
        #expect(idle.state == .closed)
    }

    @Test func headerTimeoutLingersToo() {
        var m = M(limits: ParserLimits())
        _ = m.received(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Le".utf8))
        #expect(m.deadlineExpired() == .fail(status: 408, reason: "Request header timeout"))
        #expect(m.state == .lingering(discarded: 0))
        #expect(m.deadlineExpired() == .close)
    }

    @Test func anUpgradedConnectionHandsOverWhatFollowedTheRequest() {
        var m = M(limits: ParserLimits())
        #expect(m.upgrade() == nil)   // nothing in flight
        let bytes = Array("GET /x HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u{81}\u{02}hi".utf8)
        #expect(dispatchedPath(m.received(bytes)) == "/x")
        #expect(m.upgrade() == Array("\u{81}\u{02}hi".utf8))
        #expect(m.state == .upgraded)
        #expect(m.received(Array("GET / HTTP/1.1\r\n\r\n".utf8)) == .none)   // no more HTTP
        #expect(m.responseFinished(keepAlive: true) == .none)
        #expect(m.deadlineExpired() == .none)
        #expect(m.shutdown() == .none)
        #expect(m.peerClosed() == .close)
    }
}
