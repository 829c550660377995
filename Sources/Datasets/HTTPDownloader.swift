import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a whole HTTP(S) resource into memory with `URLSession`, turning every failure into
/// a ``DatasetError`` that names the URL.
enum HTTPDownloader {
    /// The body of a `200 OK` response to a GET of `address`.
    ///
    /// `timeout` is the longest wait for data, in seconds. A body shorter than the response's
    /// `Content-Length` (a dropped connection) is a failure, never a short result.
    /// - Throws: ``DatasetError/downloadFailed(url:reason:)`` or ``DatasetError/httpStatus(url:status:)``.
    static func download(_ address: String, timeout: Double) async throws(DatasetError) -> [UInt8] {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else {
            throw .downloadFailed(url: address, reason: "not an http:// or https:// URL")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout, 3600)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        let body: Data
        let response: URLResponse
        do {
            (body, response) = try await session.data(for: request)
        } catch {
            throw .downloadFailed(url: address, reason: reason(for: error, timeout: timeout))
        }
        guard let http = response as? HTTPURLResponse else {
            throw .downloadFailed(url: address, reason: "the response is not HTTP")
        }
        guard http.statusCode == 200 else { throw .httpStatus(url: address, status: http.statusCode) }
        let expected = http.expectedContentLength
        if expected >= 0 && Int64(body.count) != expected {
            throw .downloadFailed(url: address, reason: "the connection closed after \(body.count) of \(expected) bytes")
        }
        return [UInt8](body)
    }

    /// A one-line reason for a `URLSession` failure: curl's own message where Foundation keeps it.
    private static func reason(for error: any Error, timeout: Double) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return "no data for \(Int(timeout)) s (timed out)"
            case .cannotConnectToHost: return "cannot connect to the host (connection refused)"
            case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host name (offline?)"
            case .notConnectedToInternet: return "not connected to the internet"
            case .networkConnectionLost: return "the connection was lost"
            default: break
            }
        }
        var current: NSError? = error as NSError
        while let nsError = current {
            if let message = nsError.userInfo[NSLocalizedDescriptionKey] as? String,
               !message.isEmpty, message != "(null)" {
                return message
            }
            current = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        return String(describing: error)
    }
}
