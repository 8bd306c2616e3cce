// Tests for Tool: order and the seed's catalogue texts.
import Testing
import Commands

@Test func toolOrderIsTheSeedOrder() {
    #expect(Tool.allCases.map(\.rawValue) == ["kubectl", "helm", "istioctl", "argocd"])
}

@Test func summariesAreTheSeedDescriptions() {
    #expect(Tool.kubectl.summary == "Kubernetes command-line tool")
    #expect(Tool.helm.summary == "Kubernetes package manager")
    #expect(Tool.istioctl.summary == "Istio service mesh tool")
    #expect(Tool.argocd.summary == "ArgoCD CLI for GitOps")
}

@Test func operationTextsAreTheSeedEndpointTexts() {
    #expect(Tool.helm.operationSummary == "Execute helm commands")
    #expect(Tool.kubectl.operationDescription
        == "Execute Kubernetes kubectl commands. Supports namespace parameter for resource operations.")
    #expect(Tool.argocd.operationDescription == "Execute ArgoCD CLI commands for GitOps workflow management.")
}

@Test func versionArgumentsMatchTheSeedStatusProbe() {
    #expect(Tool.kubectl.versionArguments == ["version", "--client"])
    #expect(Tool.helm.versionArguments == ["version"])
    #expect(Tool.istioctl.versionArguments == ["version"])
    #expect(Tool.argocd.versionArguments == ["version"])
}

@Test func onlyKubectlAndHelmTakeNamespace() {
    #expect(Tool.allCases.filter(\.takesNamespaceFlag) == [.kubectl, .helm])
}
