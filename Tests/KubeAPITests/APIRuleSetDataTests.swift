// APIRuleSet data form: built-in sets render and parse back to themselves; each malformed
// rule is refused with the path of the offending value.
import JSON
import Testing
@testable import KubeAPI

@Test(arguments: APIRuleSet.builtInRoles)
func builtInSetsRoundTrip(role: String) throws {
    let set = ruleSet(role)
    #expect(!set.rules.isEmpty)
    let rendered = set.render()
    #expect(try APIRuleSet.parse(rendered) == set)
    // Through text too, as check-config prints it and a config file gives it back.
    #expect(try APIRuleSet.parse(try JSONParser.parse(rendered.description)) == set)
}

@Test func userRuleParses() throws {
    let set = try APIRuleSet.parse(json("""
    [{"name":"team/allow-exec","verbs":["create","get"],"apiGroups":[""],"resources":["pods/exec"],"namespaces":["dev"]},
     {"name":"team/no-db","effect":"deny","description":"the database is off limits","verbs":["*"],"apiGroups":[""],
      "resources":["secrets"],"resourceNames":["db"]},
     {"name":"team/health","verbs":["get"],"nonResourceURLs":["/healthz/*"]}]
    """))
    #expect(set.rules.count == 3)
    #expect(set.rules[1] == APIRule(name: "team/no-db", effect: .deny, verbs: ["*"], apiGroups: [""], resources: ["secrets"],
                                    resourceNames: ["db"], description: "the database is off limits"))
    #expect(try APIRuleSet.parse(set.render()) == set)
}

@Test(arguments: [
    (#"{"name":"x"}"#, "rules", "expected a list of rules, got object"),
    (#"[1]"#, "rules[0]", "expected a rule object, got integer"),
    (#"[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]"#, "rules[0].name", "a rule needs a non-empty string name"),
    (#"[{"name":"a","verbs":["get"],"apiGroups":[""],"resources":["pods"],"verb":["x"]}]"#, "rules[0].verb", "unknown key"),
    (#"[{"name":"a","verbs":["get","gett"],"apiGroups":[""],"resources":["pods"]}]"#, "rules[0].verbs[1]", "unknown verb \"gett\""),
    (#"[{"name":"a","verbs":"get","apiGroups":[""],"resources":["pods"]}]"#, "rules[0].verbs", "expected a list of strings, got string"),
    (#"[{"name":"a","verbs":[1],"apiGroups":[""],"resources":["pods"]}]"#, "rules[0].verbs[0]", "expected a string, got integer"),
    (#"[{"name":"a","verbs":[],"apiGroups":[""],"resources":["pods"]}]"#, "rules[0].verbs", "a rule needs at least one verb"),
    (#"[{"name":"a","effect":"block","verbs":["get"],"apiGroups":[""],"resources":["pods"]}]"#, "rules[0].effect", "expected \"allow\" or \"deny\""),
    (#"[{"name":"a","verbs":["get"],"resources":["pods"]}]"#, "rules[0].apiGroups", "a resource rule needs apiGroups"),
    (#"[{"name":"a","verbs":["get"],"apiGroups":[""],"resources":["pods/*"]}]"#, "rules[0].resources[0]", "matches nothing in RBAC"),
    (#"[{"name":"a","verbs":["get"],"apiGroups":[""],"resources":["a/b/c"]}]"#, "rules[0].resources[0]", "expected \"resource\""),
    (#"[{"name":"a","verbs":["get"],"apiGroups":[""],"resources":["pods"],"namespaces":["Dev"]}]"#, "rules[0].namespaces[0]", "not a namespace name"),
    (#"[{"name":"a","verbs":["get"],"apiGroups":[""],"resources":["pods"],"resourceNames":[""]}]"#, "rules[0].resourceNames[0]", "empty resource name"),
    (#"[{"name":"a","verbs":["get"]}]"#, "rules[0]", "either resources"),
    (#"[{"name":"a","verbs":["get"],"apiGroups":[""],"resources":["pods"],"nonResourceURLs":["/x"]}]"#, "rules[0]", "either resources"),
    (#"[{"name":"a","verbs":["get"],"nonResourceURLs":["healthz"]}]"#, "rules[0].nonResourceURLs[0]", "starts with /"),
    (#"[{"name":"a","verbs":["get"],"nonResourceURLs":["/a*b"]}]"#, "rules[0].nonResourceURLs[0]", "only allowed at the end"),
    (#"[{"name":"a","verbs":["get"],"nonResourceURLs":["/x"],"namespaces":["dev"]}]"#, "rules[0].namespaces", "does not apply"),
    (#"[{"name":"a","verbs":["get"],"nonResourceURLs":["/x"]},{"name":"a","verbs":["get"],"nonResourceURLs":["/y"]}]"#, "rules[1].name", "duplicate rule name"),
    (#"[{"name":"a","description":3,"verbs":["get"],"nonResourceURLs":["/x"]}]"#, "rules[0].description", "expected a string"),
])
func malformedRuleIsRefused(source: String, path: String, message: String) {
    do {
        _ = try APIRuleSet.parse(json(source))
        Issue.record("accepted \(source)")
    } catch {
        #expect(error.path == path)
        #expect(error.message.contains(message), "\(error.message)")
    }
}
