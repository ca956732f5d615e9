import Collaboratives

extension String {
    /// The text with every character ``TextCheck`` refuses on input written out visibly (`\u{1B}`), so that
    /// stored text from before the rule cannot recolour or retitle a terminal, split a table row, or
    /// reorder what follows it; other text is returned as it is.
    var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: TextCheck.isRefused) else { return self }
        var escaped = ""
        for scalar in unicodeScalars {
            if TextCheck.isRefused(scalar) {
                escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
