// containsIgnoringASCIICase: the byte-level stand-in for lowercased().contains(_:) that the
// policy and the argv redactor use to spot Secrets; it must agree with the original on ASCII
// and on the non-ASCII cases that lowercase specially.
import Testing
@testable import Commands

@Suite struct ASCIIMatchTests {
    @Test(arguments: ["secret", "secrets", "SECRETS", "my-SeCrEt-x", "a", "", "secre", "sec ret",
                      "ſecret", "\u{212A}secret", "SECRETİ", "sécret", "xxsecrexsecret", "Secret\u{0}"])
    func agreesWithLowercasedContains(text: String) {
        #expect(text.containsIgnoringASCIICase("secret") == text.lowercased().contains("secret"), "\(text)")
    }

    @Test func emptyNeedleAndShortHaystack() {
        #expect("abc".containsIgnoringASCIICase(""))
        #expect(!"se".containsIgnoringASCIICase("secret"))
        #expect("GET".containsIgnoringASCIICase("get"))
    }
}
