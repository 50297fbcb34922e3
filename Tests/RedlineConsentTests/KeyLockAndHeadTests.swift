import Foundation
import RedlineTestSupport
import Testing
@testable import RedlineConsent

/// A key is never replaced under a server that signs with it.
@Suite struct ReceiptKeyLockTests {
    @Test func rotationIsRefusedWhileTheKeyIsHeldForSigningAndWorksOnceReleased() throws {
        let directory = TemporaryDirectory("redline-key-lock")
        let path = directory.subpath("keys/receipt-key")
        let original = try ReceiptSigner.loadOrCreate(at: path)
        // Several servers share one key: their holds do not exclude each other, and both keep rotation out.
        let first = try ReceiptKeyLock.forSigning(keyPath: path)
        let second = try ReceiptKeyLock.forSigning(keyPath: path)
        withExtendedLifetime((first, second)) {
            #expect(throws: ReceiptKeyLock.Busy.self) { try ReceiptSigner.rotate(at: path) }
        }
        #expect(try ReceiptSigner.load(at: path).publicKeyBase64 == original.publicKeyBase64, "the refused rotation changed nothing")
    }

    @Test func aReleasedKeyRotates() throws {
        let directory = TemporaryDirectory("redline-key-lock")
        let path = directory.subpath("keys/receipt-key")
        let original = try ReceiptSigner.loadOrCreate(at: path)
        do { _ = try ReceiptKeyLock.forSigning(keyPath: path) }
        let (rotated, keyring) = try ReceiptSigner.rotate(at: path)
        #expect(rotated.publicKeyBase64 != original.publicKeyBase64 && keyring.keys.count == 2)
    }
}

/// The head file holds the newest sealed checkpoint even when a crash tears a write.
@Suite struct CheckpointHeadTests {
    @Test func theNewestSealSurvivesATornWriteOfTheOther() throws {
        let directory = TemporaryDirectory("redline-head")
        let log = directory.subpath("data/redline.checkpoints")
        let signer = ReceiptSigner(key: .init())
        let head = try CheckpointHead(logPath: log)
        for sequence in Int64(1)...5 {
            try head.seal(try Checkpoint.make(sequence: sequence, headHash: String(repeating: "\(sequence)", count: 64), time: Date(), signer: signer))
        }
        let headPath = CheckpointHead.path(forLog: log)
        #expect(CheckpointHead.read(headPath).map(\.sequence).sorted() == [4, 5])
        #expect(try CheckpointLog.read(log).checkpoints.map(\.sequence).max() == 5, "the log's readers see the head")

        // A crash in the middle of the next write, which goes over the older slot (holding 4):
        // the slot holding 5 is intact.
        let handle = try #require(FileHandle(forUpdatingAtPath: headPath))
        try handle.seek(toOffset: UInt64(CheckpointHead.slotSize + 10))
        try handle.write(contentsOf: Data("garbage".utf8))
        try handle.close()
        #expect(CheckpointHead.read(headPath).map(\.sequence) == [5])
        // Reopened, it overwrites the spoiled slot, never the good one.
        let reopened = try CheckpointHead(logPath: log)
        try reopened.seal(try Checkpoint.make(sequence: 6, headHash: String(repeating: "6", count: 64), time: Date(), signer: signer))
        #expect(CheckpointHead.read(headPath).map(\.sequence).sorted() == [5, 6])
    }
}
