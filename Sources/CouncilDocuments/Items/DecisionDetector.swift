/// Tells items that carry a resolution, recommendation or decision
/// ("RESOLVED that ...", "The Cabinet is RECOMMENDED to ...", "It was agreed
/// that ...", "The Cabinet has approved ...") from those that do not.
public enum DecisionDetector {
    static let phrases = [
        "resolved", "resolution", "recommended", "recommendation", "it was agreed", "agreed that", "agreed to",
        "has approved", "have approved", "has agreed", "decided", "decision:", "decisions:", "the decision",
        "was approved", "were approved", "be approved", "has authorised", "has endorsed", "be endorsed",
    ]

    public static func hasDecision(_ text: String) -> Bool {
        let lower = Words.asciiLowercased(text)
        return phrases.contains { lower.includes($0) }
    }
}
