"""scripts/install and scripts/package-deb, run for real on the built binary: what they put where, that the binary,
completions and man page work from there, that --uninstall removes exactly what was installed, and that the .deb has
the right metadata and contents and installs into (and is removed from) a temporary root with dpkg itself."""
import gzip
import os
import pathlib
import subprocess

import pytest

from conftest import BINARY, ROOT

INSTALLED = [
    "bin/prefect-mcp",
    "bin/.debug/prefect-mcp.debug",
    "share/man/man1/prefect-mcp.1",
    "share/bash-completion/completions/prefect-mcp",
    "share/zsh/site-functions/_prefect-mcp",
    "share/fish/vendor_completions.d/prefect-mcp.fish",
]
SUBCOMMANDS = ["dashboard", "status", "logs", "run", "cancel", "mcp"]


def tree(folder: pathlib.Path) -> set:
    return {str(path.relative_to(folder)) + ("/" if path.is_dir() else "") for path in folder.rglob("*")}


def sections(binary: pathlib.Path) -> str:
    return subprocess.run(["readelf", "-S", "-W", str(binary)], capture_output=True, text=True, check=True).stdout


def run_install(*args, env=None):
    return subprocess.run([str(ROOT / "scripts/install"), "--binary", BINARY, *args], capture_output=True, text=True,
                          env=env or dict(os.environ, PATH="/usr/bin:/bin"), timeout=300)


def test_install_puts_everything_in_place_and_uninstall_removes_exactly_it(tmp_path):
    prefix = tmp_path / "prefix"
    (prefix / "share/man").mkdir(parents=True)
    (prefix / "share/man/someone-elses.1").write_text("kept\n")
    (prefix / "bin").mkdir()
    (prefix / "bin/other-tool").write_text("#!/bin/sh\n")
    before = tree(prefix)

    result = run_install("--prefix", str(prefix))
    assert result.returncode == 0, result.stderr
    for relative in INSTALLED:
        assert (prefix / relative).is_file(), f"{relative} missing; stderr: {result.stderr}"
    assert f"{prefix}/bin is not on your PATH" in result.stderr and "fish_add_path" in result.stderr

    # The binary: stripped, runs, and points at its symbols, which are there.
    binary = prefix / "bin/prefect-mcp"
    version = subprocess.run([BINARY, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout.strip() == version
    assert " .symtab " not in sections(binary) and " .gnu_debuglink " in sections(binary)
    assert " .symtab " in sections(prefix / "bin/.debug/prefect-mcp.debug")
    # The section ends with a CRC of the symbols file: binary bytes, decoded leniently.
    link = subprocess.run(["readelf", "--string-dump=.gnu_debuglink", str(binary)], capture_output=True, text=True, errors="replace").stdout
    assert "prefect-mcp.debug" in link
    assert os.stat(binary).st_size < os.stat(BINARY).st_size

    # Completions: bash loads it and completes the subcommands; zsh's and fish's name every subcommand.
    script = prefix / "share/bash-completion/completions/prefect-mcp"
    bash = subprocess.run(["bash", "-c", f"source '{script}' && complete -p prefect-mcp && COMP_WORDS=(prefect-mcp '') COMP_CWORD=1 "
                           "COMP_LINE='prefect-mcp ' COMP_POINT=12 && _prefect-mcp && printf '%s\\n' \"${COMPREPLY[@]}\""],
                          capture_output=True, text=True, env=dict(os.environ, PATH=f"{prefix}/bin:/usr/bin:/bin"))
    assert bash.returncode == 0, bash.stderr
    for command in SUBCOMMANDS:
        assert command in bash.stdout.split(), bash.stdout
    zsh = (prefix / "share/zsh/site-functions/_prefect-mcp").read_text()
    fish = (prefix / "share/fish/vendor_completions.d/prefect-mcp.fish").read_text()
    assert zsh.startswith("#compdef prefect-mcp")
    assert all(command in zsh and command in fish for command in SUBCOMMANDS)

    # The man page: renders without a warning, and holds every command and its options.
    page = prefix / "share/man/man1/prefect-mcp.1"
    groff = subprocess.run(["groff", "-man", "-Tutf8", "-ww", str(page)], capture_output=True, text=True)
    assert groff.returncode == 0 and groff.stderr == "", groff.stderr
    text = subprocess.run(["col", "-b"], input=groff.stdout, capture_output=True, text=True).stdout
    for command in SUBCOMMANDS:
        assert f"prefect-mcp {command}" in text
    assert "--allow-writes" in text and "--follow" in text and "PREFECT_API_URL" in text

    # Again: the same files, nothing listed twice.
    after_first = tree(prefix)
    assert run_install("--prefix", str(prefix)).returncode == 0
    assert tree(prefix) == after_first
    listed = (prefix / "share/prefect-mcp/installed-files").read_text().splitlines()
    assert len(listed) == len(set(listed)) == len(INSTALLED)

    uninstall = subprocess.run([str(ROOT / "scripts/install"), "--uninstall", "--prefix", str(prefix)], capture_output=True, text=True)
    assert uninstall.returncode == 0, uninstall.stderr
    assert "removed 6 files" in uninstall.stderr
    assert tree(prefix) == before, "uninstall left or removed something"
    again = subprocess.run([str(ROOT / "scripts/install"), "--uninstall", "--prefix", str(prefix)], capture_output=True, text=True)
    assert again.returncode == 1 and "nothing installed" in again.stderr


def test_install_refuses_bad_input_before_writing_anything(tmp_path):
    prefix = tmp_path / "p"
    missing = subprocess.run([str(ROOT / "scripts/install"), "--binary", str(tmp_path / "nope"), "--prefix", str(prefix)],
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "no executable at" in missing.stderr
    assert not (prefix / "bin").exists()
    unknown = subprocess.run([str(ROOT / "scripts/install"), "--prefx", "x"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown argument '--prefx'" in unknown.stderr
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    if os.geteuid() != 0:  # root writes anywhere
        result = run_install("--prefix", str(locked))
        assert result.returncode == 1 and "cannot write" in result.stderr


def test_package_deb_metadata_contents_and_a_real_install(tmp_path):
    version = subprocess.run([BINARY, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()

    # The debug build links the Swift runtime: refused by name unless the check is waived (as here, for the test).
    refused = subprocess.run([str(ROOT / "scripts/package-deb"), "--binary", BINARY, "--out", str(tmp_path)], capture_output=True, text=True)
    assert refused.returncode == 1 and "libswift" in refused.stderr and not list(tmp_path.glob("*.deb"))

    built = subprocess.run([str(ROOT / "scripts/package-deb"), "--binary", BINARY, "--out", str(tmp_path), "--unchecked-libs"],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    deb = pathlib.Path(built.stdout.strip())
    assert deb == tmp_path / f"prefect-mcp_{version}_{arch}.deb" and deb.is_file()

    def field(name):
        return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()

    assert field("Package") == "prefect-mcp" and field("Version") == version and field("Architecture") == arch
    assert field("Depends") == "libncursesw6, libtinfo6"
    assert field("Maintainer") and field("Description").startswith("watch, debug and operate Prefect")
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    files = sorted(line.split()[-1] for line in listing.splitlines() if not line.startswith("d"))
    assert files == sorted([
        "./usr/bin/prefect-mcp", "./usr/share/bash-completion/completions/prefect-mcp", "./usr/share/doc/prefect-mcp/copyright",
        "./usr/share/fish/vendor_completions.d/prefect-mcp.fish", "./usr/share/man/man1/prefect-mcp.1.gz",
        "./usr/share/zsh/vendor-completions/_prefect-mcp"])
    assert all(" root/root " in line for line in listing.splitlines())

    # dpkg installs it into a temporary root, records it, and removes it again.
    root = tmp_path / "root"
    admin = root / "var/lib/dpkg"
    for sub in ("info", "updates"):
        (admin / sub).mkdir(parents=True)
    (admin / "status").write_text("")
    dpkg = ["dpkg", "--force-not-root", "--force-script-chrootless", f"--instdir={root}", f"--admindir={admin}"]
    sbin = dict(os.environ, PATH=os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin")  # dpkg wants ldconfig
    installed = subprocess.run([*dpkg, "--force-depends", "-i", str(deb)], capture_output=True, text=True, env=sbin)
    assert installed.returncode == 0, installed.stderr
    assert subprocess.run([str(root / "usr/bin/prefect-mcp"), "--version"], capture_output=True, text=True).stdout.strip() == version
    page = gzip.decompress((root / "usr/share/man/man1/prefect-mcp.1.gz").read_bytes()).decode()
    assert page.startswith(".TH PREFECT\\-MCP 1")
    status = subprocess.run(["dpkg", f"--admindir={admin}", "-s", "prefect-mcp"], capture_output=True, text=True).stdout
    assert "Status: install ok installed" in status
    removed = subprocess.run([*dpkg, "-r", "prefect-mcp"], capture_output=True, text=True, env=sbin)
    assert removed.returncode == 0, removed.stderr
    assert not (root / "usr/bin/prefect-mcp").exists() and not (root / "usr/share/man/man1/prefect-mcp.1.gz").exists()


@pytest.mark.parametrize("bad", ["{", "[]", '{"x": 1}'])
def test_manpage_refuses_what_is_not_dump_help(bad):
    result = subprocess.run(["python3", str(ROOT / "scripts/manpage.py")], input=bad, capture_output=True, text=True)
    assert result.returncode == 1 and "manpage.py:" in result.stderr and result.stdout == ""

