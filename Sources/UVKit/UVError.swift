// UVError: wraps a negative libuv status code with its symbolic name and message.
import CLibUV

public struct UVError: Error, Equatable, CustomStringConvertible, Sendable {
    public let code: Int32

    public init(_ code: Int32) { self.code = code }

    public var name: String { String(cString: uv_err_name(code)) }
    public var message: String { String(cString: uv_strerror(code)) }
    public var description: String { "\(name): \(message)" }

    /// Throws when `status` is negative (libuv's error convention).
    @discardableResult
    public static func check(_ status: Int32) throws(UVError) -> Int32 {
        if status < 0 { throw UVError(status) }
        return status
    }

    public static let eof = UVError(Int32(UV_EOF.rawValue))
    public static let canceled = UVError(Int32(UV_ECANCELED.rawValue))
}
