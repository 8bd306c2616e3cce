// RequestPipeline: the steps every HTTP request passes, declared once, in request order, by the
// Launcher (timing → browser rules → metrics exemption → authentication → routes). A stage either lets the
// request go on or answers it; each reads the live configuration when it runs, so a reload
// changes behaviour without touching the pipeline.

struct RequestStage {
    enum Outcome { case next, answered }

    let name: String
    let run: (Exchange) -> Outcome
}

struct RequestPipeline {
    let stages: [RequestStage]
    /// The last step: the router of the gateway's port, the proxy handler of the API proxy.
    let handler: (Exchange) -> Void

    init(stages: [RequestStage], routes: Router) {
        self.stages = stages
        handler = { routes.route($0) }
    }

    init(stages: [RequestStage], handler: @escaping (Exchange) -> Void) {
        self.stages = stages
        self.handler = handler
    }

    func handle(_ exchange: Exchange) {
        for stage in stages where stage.run(exchange) == .answered { return }
        handler(exchange)
    }
}
