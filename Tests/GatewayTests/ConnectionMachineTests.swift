// Connection lifecycle without sockets: pipelining one at a time, 100-continue, errors,
// disconnect while busy, header vs idle deadlines, shutdown while busy or idle.
import HTTP1
import Testing
@testable import Gateway

@Suite struct ConnectionMachineTests {
    func dispatched(_ actions: [ConnectionMachine.Action]) -> [String] {
        actions.compactMap { if case .dispatch(let r) = $0 { return r.head.path } else { return nil } }
    }

    @Test func pipelinedRequestsAreDispatchedOneAtATime() {
        var m = ConnectionMachine(limits: ParserLimits())
        let bytes = Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(dispatched(m.received(bytes)) == ["/a"])
        #expect(m.busy)
        #expect(dispatched(m.received([UInt8]())) == [])
        let next = m.responseFinished(keepAlive: true)
        #expect(dispatched(next) == ["/b"])
        #expect(m.responseFinished(keepAlive: true) == [.setDeadline(.idle)])
    }

    @Test func headerDeadlineIsNotPushedBackByDribbledBytes() {
        var m = ConnectionMachine(limits: ParserLimits())
        #expect(m.received(Array("G".utf8)) == [.setDeadline(.header)])
        #expect(m.received(Array("E".utf8)) == [])
        #expect(m.received(Array("T / HTTP/1.1\r\nX-Slow: a".utf8)) == [])
        #expect(m.deadlineExpired() == [.fail(status: 408, reason: "Request header timeout")])
    }

    @Test func partialHeadArmsHeaderDeadlineAndTimesOutWith408() {
        var m = ConnectionMachine(limits: ParserLimits())
        #expect(m.received(Array("GET / HTTP/1.1\r\nHo".utf8)) == [.setDeadline(.header)])
        #expect(m.deadlineExpired() == [.fail(status: 408, reason: "Request header timeout")])
        #expect(m.received(Array("st: x\r\n\r\n".utf8)) == [])
    }

    @Test func idleDeadlineClosesQuietly() {
        var m = ConnectionMachine(limits: ParserLimits())
        #expect(m.deadlineExpired() == [.closeNow])
    }

    @Test func expectContinueInvitesTheBody() {
        var m = ConnectionMachine(limits: ParserLimits())
        let head = Array("POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n".utf8)
        #expect(m.received(head) == [.sendContinue, .setDeadline(.header)])
        #expect(dispatched(m.received(Array("{}".utf8))) == ["/t"])
    }

    @Test func malformedRequestFailsAndCloses() {
        var m = ConnectionMachine(limits: ParserLimits())
        let bad = Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let actions = m.received(bad)
        #expect(actions.count == 1)
        if case .fail(let status, _) = actions.first { #expect(status == 400) } else { Issue.record("expected fail") }
        #expect(m.closed)
    }

    @Test func disconnectWhileBusyCancels() {
        var m = ConnectionMachine(limits: ParserLimits())
        _ = m.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(m.peerClosed() == [.cancelCurrent, .closeNow])
        #expect(m.responseFinished(keepAlive: true) == [])
    }

    @Test func connectionCloseEndsAfterResponse() {
        var m = ConnectionMachine(limits: ParserLimits())
        _ = m.received(Array("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(m.responseFinished(keepAlive: false) == [.closeGracefully])
    }

    @Test func floodWhileBusyStopsReadingThenResumes() {
        var m = ConnectionMachine(limits: ParserLimits(), maxBufferedWhileBusy: 64)
        _ = m.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(m.received([UInt8](repeating: 0x41, count: 10)) == [])
        #expect(m.received([UInt8](repeating: 0x41, count: 100)) == [.stopReading])
        let after = m.responseFinished(keepAlive: true)
        #expect(after.contains(.startReading) || after.contains { if case .fail = $0 { return true } else { return false } })
    }

    @Test func shutdownClosesIdleNowAndBusyAfterResponse() {
        var idle = ConnectionMachine(limits: ParserLimits())
        #expect(idle.shutdown() == [.closeGracefully])
        var busy = ConnectionMachine(limits: ParserLimits())
        _ = busy.received(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(busy.shutdown() == [])
        #expect(busy.responseFinished(keepAlive: true) == [.closeGracefully])
    }
}
