import CNcurses
import CNcursesShim
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// The only code that calls ncurses: sets the terminal up, reads keys, draws a ``Screen`` and restores the
/// terminal. Every call must come from one thread (ncurses is not thread-safe).
package final class NcursesBackend {
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [Int: Int16] = [:]
    private let colors: Bool
    private let theme: Theme
    /// The frame on the terminal: an identical frame is not drawn again.
    private var shown: Screen?

    /// Takes over the terminal. Call ``shutdown()`` (also done on crash signals) to give it back. Without `colors`
    /// (NO_COLOR) only bold, dim, reverse and underline are drawn.
    package init(colors wanted: Bool = true, theme: Theme = .dark, mouse: Bool = false) {
        self.theme = theme
        setlocale(LC_ALL, "")
        _ = TerminalWidth.ensureUTF8Locale()
        window = initscr()!
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        set_escdelay(25)
        wtimeout(window, 50)
        colors = wanted && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
        if mouse { _ = shim_mouse_on() }
        Self.restoreOnCrash()
    }

    package var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// The next key or resize, or nil when none came within the 50 ms tick.
    package func nextEvent() -> DashboardEvent? {
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_RESIZE:
                shown = nil  // curses redraws everything after a resize
                return .resize(width: size.width, height: size.height)
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_BTAB: return .key(.backTab)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_ENTER: return .key(.enter)
            case KEY_MOUSE:
                var (x, y): (Int32, Int32) = (0, 0)
                switch shim_mouse_event(&x, &y) {
                case 1: return .mouse(Mouse(.left, x: Int(x), y: Int(y)), at: Date())
                case 4: return .mouse(Mouse(.wheelUp, x: Int(x), y: Int(y)), at: Date())
                case 5: return .mouse(Mouse(.wheelDown, x: Int(x), y: Int(y)), at: Date())
                default: return nil
                }
            default: return nil
            }
        }
        guard result == OK, let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
        switch scalar.value {
        case 27: return .key(.escape)
        case 13, 10: return .key(.enter)
        case 9: return .key(.tab)
        case 127, 8: return .key(.backspace)
        case 1...26: return .key(.control(Character(Unicode.Scalar(scalar.value + 96)!)))
        default: return .key(.character(Character(scalar)))
        }
    }

    /// Draws the whole screen; ncurses sends only what changed.
    package func present(_ screen: Screen) {
        guard screen != shown else { return }
        // Only the cells that changed since the last frame are written (a refresh changes a few ages and counts);
        // a new size or the first frame writes them all.
        let previous = shown.flatMap { $0.width == screen.width && $0.height == screen.height ? $0 : nil }
        shown = screen
        if previous == nil { werase(window) }
        for y in 0..<min(screen.height, size.height) {
            for x in 0..<min(screen.width, size.width) {
                let cell = screen[x, y]
                if cell.text.isEmpty { continue }  // the right half of a wide character
                if let previous, previous[x, y] == cell { continue }
                var text = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                text.append(0)
                _ = shim_put_cell(window, Int32(y), Int32(x), text, attributes(cell.style), pair(cell.style))
            }
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Gives the terminal back.
    package func shutdown() {
        shim_mouse_off()
        endwin()
    }

    private func attributes(_ style: Style) -> attr_t {
        var value = shim_a_normal()
        if style.bold { value |= shim_a_bold() }
        if style.dim { value |= shim_a_dim() }
        if style.reverse || (!colors && style.background != .default) { value |= shim_a_reverse() }
        if style.underline { value |= shim_a_underline() }
        return value
    }

    /// The colour pair of a style, created on first use; 0 (the default) without colours.
    private func pair(_ style: Style) -> Int16 {
        guard colors, style.foreground != .default || style.background != .default else { return 0 }
        let (foreground, background) = (theme.draw(style.foreground), theme.draw(style.background))
        let key = (foreground.rawValue + 1) * 16 + background.rawValue + 1
        if let existing = pairs[key] { return existing }
        let number = Int16(pairs.count + 1)
        guard Int32(number) < shim_color_pairs() else { return 0 }
        init_pair(number, Int16(foreground.rawValue), Int16(background.rawValue))
        pairs[key] = number
        return number
    }

    /// On a crash signal: give the terminal back, then die of the same signal.
    private static func restoreOnCrash() {
        for number in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(number) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
