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
    let routes: Router

    func handle(_ exchange: Exchange) {
        for stage in stages where stage.run(exchange) == .answered { return }
        routes.route(exchange)
    }
}
