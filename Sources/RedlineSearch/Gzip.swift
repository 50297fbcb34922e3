import CRedlineZlib
import Foundation

/// gzip through zlib, for index files written once and served many times: a server sends the
/// `.gz` beside a file to browsers that accept it, without compressing on every request.
public enum Gzip {
    /// The gzip header's time stays zero, so the same input always gives the same bytes.
    public static func compress(_ data: Data, level: Int32 = 9) -> Data {
        var stream = z_stream()
        guard redline_deflate_init_gzip(&stream, level) == Z_OK else { fatalError("deflateInit2 failed: out of memory") }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        let written: Int = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { buffer in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = buffer.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(buffer.count)
                // deflateBound leaves room for everything, so one call finishes the stream.
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { fatalError("deflate did not finish within deflateBound") }
                return buffer.count - Int(stream.avail_out)
            }
        }
        return output.prefix(written)
    }
}
