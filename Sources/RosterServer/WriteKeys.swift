import RosterCore
import Synchronization

/// The server keys as the store thread last read them, so that a write request is let in without a reader.
///
/// Checking a key on a reader costs a checkout, the store lock, `PRAGMA data_version` and — under a write load,
/// where every commit of the store thread moves the readers' `data_version` — a read of the key rows, for every
/// request. A write does not need that: its key is checked again where it is written. The store thread reads
/// the keys at the start of a group when its own connection's `data_version` moved (only another connection's
/// commit moves it: another process's `roster key revoke` or import) or the connection is a new one (a reopen after
/// another process's swap), and keeps them here with that version. A write request whose key these keys accept is queued with the version it was let in at
/// (`KeyGrant`); the store thread, at the start of the group that writes it, checks the key again against the
/// keys as they are then whenever the version moved meanwhile. So a key revoked before the group began writes
/// nothing (401), exactly as a reader's check would have refused it, and the common case costs one keyed hash.
/// A key these keys do not accept (a key created since, a role too low) is checked on a reader as before, so the
/// answer never depends on how fresh they are.
final class WriteKeys: Sendable {
    /// Which keys a check was made against: the store thread's connection (a reopen makes a new one) and its
    /// `data_version` then.
    struct Version: Equatable, Sendable {
        let connection: Int
        let dataVersion: Int64
    }

    private let current = Mutex<(version: Version, verifier: ServerKeyVerifier)?>(nil)

    /// The key and the version it was let in at, when the kept keys accept `secret` for `role`; nil otherwise
    /// (none kept yet, an unknown secret, a role too low): the caller then checks it on a reader.
    func admit(_ secret: String, needs role: ServerKeyRole) -> (ServerKey, KeyGrant)? {
        guard let (version, verifier) = current.withLock({ $0 }), let key = verifier.key(for: secret),
            key.role.allows(role)
        else { return nil }
        return (key, KeyGrant(secret: secret, needs: role, version: version))
    }

    /// Store thread, at the start of a group: reads the keys again when another connection committed since they
    /// were read, and returns the version they are now at.
    func refresh(_ store: Store) throws -> (Version, ServerKeyVerifier) {
        let stamp = try store.readStamp()
        let now = Version(connection: stamp.connection, dataVersion: stamp.dataVersion)
        let kept = current.withLock { $0 }
        if let kept, kept.version == now { return kept }
        let verifier = try store.serverKeyVerifier(reusing: kept?.verifier)
        current.withLock { $0 = (now, verifier) }
        return (now, verifier)
    }
}

/// How a write request's key was let in from `WriteKeys`: what the store thread needs to check it again.
struct KeyGrant: Sendable {
    let secret: String
    let needs: ServerKeyRole
    let version: WriteKeys.Version
}

/// Who a write is for: the key's name for the audit log, and — when it was let in from `WriteKeys` rather than on a
/// reader — the grant the store thread checks again.
struct WriteKey: Sendable {
    let name: String
    let grant: KeyGrant?
}
