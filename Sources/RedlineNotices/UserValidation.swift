import RedlineConsent
import RedlineManifest
import RedlineMail

/// The rules for a user, shared by the admin API and `redline users import`.
public enum UserValidation {
    /// Every problem with these fields, or none. A nil e-mail or locale is left unchecked
    /// (its absence is reported by whoever read the fields).
    public static func problems(userId: String, email: String?, locale: String?, subject: String?) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if userId.isEmpty || userId.count > 128 || !Identifier.hasAllowedCharacters(userId) {
            problems.append(FieldProblem(field: "userId", message: "must be 1–128 letters, digits, '-', '_', '.' or ':'"))
        }
        if let email, !MailAddress.isValid(email) {
            problems.append(FieldProblem(field: "email", message: "must be an e-mail address such as ana@example.com"))
        }
        if let locale, locale.isEmpty || locale.count > 35 || !LanguageTag.isValid(locale) {
            problems.append(FieldProblem(field: "locale", message: "must be a language tag such as 'en' or 'en-GB'"))
        }
        if let subject, subject.isEmpty || subject.count > 128 || !Identifier.hasAllowedCharacters(subject) {
            problems.append(FieldProblem(field: "subject", message: "must be a consent subject id: letters, digits, '-', '_', '.' and ':'"))
        }
        return problems
    }
}
