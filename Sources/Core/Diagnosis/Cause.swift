import JSONValue

/// One reason a run is not progressing, with what to do about it.
package struct Cause: Codable, Sendable, Equatable, EncodesAbsentAsNull {
    /// Stable machine name: `deployment_paused`, `pool_paused`, `queue_paused`, `no_online_worker`,
    /// `pool_limit_full`, `queue_limit_full`, `deployment_limit_full`, `tag_limit_full`, `no_work_pool`,
    /// `no_cause_found`.
    package var code: String
    package var message: String
    /// The `prefect` CLI command that fixes it, when one does.
    package var fix: String?

    package init(_ code: String, _ message: String, fix: String? = nil) {
        self.code = code
        self.message = message
        self.fix = fix
    }

    enum CodingKeys: String, CodingKey { case code, message, fix }
}
