/// Words left out of free-text queries (not of phrases), so that a
/// question typed as a person would ask it ("what did the cabinet decide
/// about home care") is ranked by its content words. The list is the
/// Snowball project's English stop words, less the words that carry
/// meaning in council business ("against", "before", "after", "over",
/// "under", "off", "out", "no", "not").
enum Stopwords {
    static let english: [String] = [
        "a", "about", "above", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been",
        "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
        "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more",
        "most", "my", "myself", "nor", "now", "of", "on", "once", "only", "or", "other", "ought", "our", "ours",
        "ourselves", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "until", "up",
        "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
        "would", "you", "your", "yours", "yourself", "yourselves",
    ]

    static let set = Set(english)
}
