// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares (as Hummingbird does): stricter imports and explicit existentials.
let swiftSettings: [SwiftSetting] = [
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Linux only: built and tested on Linux with Swift 6 (the sources import FoundationEssentials, and the dashboard
/// links ncursesw through pkg-config). No other platform is built in CI, so none is claimed.
let package = Package(
    name: "prefect-mcp",
    products: [
        .executable(name: "prefect-mcp", targets: ["App"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Without its default traits: "FullFoundation" makes its form coders offer a DateFormatter, which needs all of
        // Foundation (and ICU's data), which the release build leaves out (scripts/build-release); nothing here uses
        // forms or swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        /// A JSON value type shared by Core (Prefect's free-form fields) and MCP (tool arguments).
        .target(name: "JSONValue", swiftSettings: swiftSettings),
        /// Prefect: settings, HTTP client, typed filters and models, queries. No MCP, no curses.
        .target(
            name: "Core",
            dependencies: [
                "JSONValue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// `prefect-mcp doctor`: the way to Prefect checked step by step (DNS, TCP, TLS with the certificate read by
        /// BoringSSL, the API, the credential, the release, the clock, CSRF, the websocket). Its own module, so that
        /// Core does not see BoringSSL's C names.
        .target(
            name: "Doctor",
            dependencies: [
                "Core", "JSONValue",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        /// `prefect-mcp setup`: AI assistants' MCP configuration files, edited in place without losing a byte of the
        /// rest. No Prefect, no MCP.
        .target(
            name: "ClientSetup", dependencies: ["JSONValue", .product(name: "TOMLKit", package: "TOMLKit")], swiftSettings: swiftSettings),
        /// The Model Context Protocol. No Prefect.
        .target(name: "MCP", dependencies: ["JSONValue"], swiftSettings: swiftSettings),
        /// MCP over Streamable HTTP (`prefect-mcp mcp --http`), both eras, on Hummingbird. No Prefect. OAuth access
        /// tokens are verified, like Doctor's certificates read, with the BoringSSL that NIOSSL links for TLS (its C
        /// module `CNIOBoringSSL`, visible through NIOSSL): swift-crypto, JWTKit and swift-certificates would add a second
        /// BoringSSL and about 4 MB to the binary for three functions.
        .target(
            name: "MCPHTTP",
            dependencies: [
                "MCP", "JSONValue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        /// A minimal MCP client over Streamable HTTP for a remote docs server (`search_docs --docs-url`); it sends
        /// through Core's HTTP transport but knows nothing of Prefect.
        .target(name: "RemoteDocs", dependencies: ["Core", "JSONValue"], swiftSettings: swiftSettings),
        /// Every MCP tool, resource and prompt: thin adapters from Core to MCP, served by every transport.
        .target(name: "Tools", dependencies: ["Core", "MCP", "RemoteDocs", "JSONValue"], swiftSettings: swiftSettings),
        /// ncursesw (Debian: libncurses-dev). Not through pkg-config: its only flags are -D_DEFAULT_SOURCE and
        /// -D_XOPEN_SOURCE, which SwiftPM refuses with a warning on every build; shim.h defines what curses.h needs.
        .systemLibrary(name: "CNcurses"),
        /// The few C helpers Swift cannot import from curses.h (macros, wcwidth).
        .target(name: "CNcursesShim", dependencies: ["CNcurses"]),
        /// The dashboard: pure state, layout and rendering; one backend file talks to ncurses.
        .target(name: "TUI", dependencies: ["Core", "CNcursesShim"], swiftSettings: swiftSettings),
        /// The `prefect-mcp` executable.
        .executableTarget(
            name: "App",
            dependencies: [
                "Core", "MCP", "MCPHTTP", "RemoteDocs", "Tools", "TUI", "JSONValue", "ClientSetup", "Doctor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// `dashboard-bench`: times the pure renderer and log ingestion for bench/run (never part of the product).
        .executableTarget(
            name: "DashboardBench", dependencies: ["TUI", "Core", "JSONValue"], path: "bench/DashboardBench", swiftSettings: swiftSettings),
        /// What several test targets share: running the built binary, finding the test servers.
        .target(name: "TestSupport", dependencies: ["Core", "JSONValue"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "CoreTests", dependencies: ["Core", "Doctor", "TestSupport"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MCPTests",
            dependencies: [
                "MCP", "MCPHTTP", "JSONValue", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "RemoteDocsTests", dependencies: ["RemoteDocs", "Core", "JSONValue", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ToolsTests", dependencies: ["Tools", "Core", "MCP", "JSONValue", "TestSupport"], exclude: ["Snapshots"],
            swiftSettings: swiftSettings),
        .testTarget(name: "ClientSetupTests", dependencies: ["ClientSetup", "JSONValue"], swiftSettings: swiftSettings),
        .testTarget(name: "TUITests", dependencies: ["TUI", "Core", "JSONValue"], exclude: ["Goldens"], swiftSettings: swiftSettings),
        /// Drives the real `prefect-mcp` binary.
        .testTarget(name: "AppTests", dependencies: ["TestSupport"], exclude: ["Goldens"], swiftSettings: swiftSettings),
        /// Runs against the real Prefect servers started by `scripts/test`; fails (never skips) when there are none.
        .testTarget(name: "IntegrationTests", dependencies: ["Core", "JSONValue", "TestSupport"], swiftSettings: swiftSettings),
    ]
)
