// SpawnerChoice: turns the `jobs.spawner` setting into the spawner JobRunner gives every Subprocess.
// `auto` takes posix_spawn where this kernel hands out pidfds (Linux 5.3+, not blocked by a
// seccomp profile) and falls back to uv_spawn otherwise; asking for posix_spawn where it cannot
// work is a start-up error rather than a silent fallback.
import UVKit

enum SpawnerChoice {
    static func resolve(_ setting: String) throws(ConfigError) -> Subprocess.Spawner {
        if setting == "uv_spawn" { return .uvSpawn }
        let reason = Subprocess.posixSpawnUnavailableReason()
        switch setting {
        case "posix_spawn":
            if let reason {
                throw .invalidValue(key: "jobs.spawner", source: .startup,
                                    problem: "posix_spawn needs pidfd_open, which failed here (\(reason)); use uv_spawn or auto")
            }
            return .posixSpawn
        default:
            return reason == nil ? .posixSpawn : .uvSpawn
        }
    }
}
