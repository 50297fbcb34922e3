import Foundation
import Hummingbird
import Prometheus
import RedlineMail

/// What `/metrics` reports, in the Prometheus text format.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private static let durationBuckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                                      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                                      .milliseconds(500), .seconds(1)]

    public init() {}

    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        let labels = [("route", route), ("method", method), ("status", String(status))]
        registry.makeCounter(name: "redline_http_requests_total", labels: labels,
                             help: "HTTP requests answered, by route, method and status.").increment()
        registry.makeDurationHistogram(name: "redline_http_request_duration_seconds", labels: [("route", route)],
                                       buckets: Self.durationBuckets, help: "Time to answer HTTP requests.").record(duration)
    }

    func consentRecorded(method: String, outcome: String) {
        registry.makeCounter(name: "redline_consent_records_total", labels: [("method", method), ("outcome", outcome)],
                             help: "Consent submissions by method and outcome (created, replayed, conflict).").increment()
    }

    func commitBatch(size: Int) {
        registry.makeValueHistogram(name: "redline_consent_commit_batch_size", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
                                    help: "Records written per transaction (group commit).").record(Double(size))
    }

    func noticeDelivery(_ outcome: DeliveryOutcome) {
        let label = switch outcome {
        case .sent: "sent"
        case .temporary: "temporary_failure"
        case .permanent: "permanent_failure"
        }
        registry.makeCounter(name: "redline_notice_deliveries_total", labels: [("outcome", label)],
                             help: "Change-notice e-mails handed to the mail server, by outcome.").increment()
    }

    func manifestReloaded() {
        registry.makeCounter(name: "redline_manifest_reloads_total", help: "Times manifest.json was read again after it changed.").increment()
    }

    func rateLimited() {
        registry.makeCounter(name: "redline_rate_limited_total", help: "Requests answered 429.").increment()
    }

    public func render() -> String { registry.emitToString() }
}

/// Counts and times every request. Routes are labelled by their pattern, never by the
/// concrete path, so subject ids do not end up in metric labels.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.requestFinished(route: Self.route(context), method: request.method.rawValue, status: response.status.code,
                                    duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.requestFinished(route: Self.route(context), method: request.method.rawValue, status: status,
                                    duration: ContinuousClock.now - start)
            throw error
        }
    }

    private static func route(_ context: ServerContext) -> String {
        switch context.endpointPath {
        case nil: return "unmatched"
        case "FileMiddleware": return "static"
        case let path?: return path
        }
    }
}
