// ClusterAccess: how a job reaches the cluster — the API proxy issues it a kubeconfig (the
// proxy's address and a token for this job only) when it starts and revokes the token when it
// ends, reporting what it refused. The job path knows only this protocol, not the proxy.

protocol ClusterAccessIssuer: AnyObject {
    /// nil only when no token could be made (the kernel refused random bytes).
    func issue(for request: JobRequest) -> IssuedClusterAccess?
}

struct IssuedClusterAccess {
    let kubeconfig: [UInt8]
    /// Ends the job's access; returns the refusals, the number of API requests served and of
    /// Secret values the proxy masked in their answers.
    let revoke: () -> (refusals: [APIRefusal], requests: Int, maskedValues: Int)
}
