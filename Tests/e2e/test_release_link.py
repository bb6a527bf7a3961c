"""scripts/release-ld, the release build's linker, on a small program of the same kinds of objects: a Swift object, whose
unwind tables it leaves out, and a C++ object that throws and catches, whose tables it keeps. Linked once with the
arguments on the command line and once through the response file clang writes for long command lines (the release
build's 1,800 objects always take that way); the program must still catch its C++ exception, and the Swift object's
frame descriptions must be gone."""
import os
import shutil
import subprocess

from conftest import ROOT

CXX = r"""
#include <stdexcept>
extern "C" int checked(int value) {
    try {
        if (value > 1) throw std::runtime_error("too big");
        return value;
    } catch (const std::exception &) {
        return -1;
    }
}
"""

SWIFT = """
@_silgen_name("checked") func checked(_ value: Int32) -> Int32
func caller(_ value: Int32) -> Int32 { checked(value) + checked(value) }
print(caller(1), caller(7))
"""


def frame_descriptions(binary) -> int:
    dump = subprocess.run(["readelf", "--debug-dump=frames", str(binary)], capture_output=True, text=True, check=True).stdout
    return dump.count(" FDE cie=")


def toolchain_tool(name: str) -> str:
    return os.path.join(os.path.dirname(os.path.realpath(shutil.which("swiftc"))), name)


def build(tmp_path, name: str, keep: bool, long_command_line: bool):
    cache = tmp_path / "cache"
    report = tmp_path / f"{name}.report"
    env = {**os.environ, "PREFECT_MCP_UNWIND_CACHE": str(cache), "PREFECT_MCP_KEEP_UNWIND": "1" if keep else "0",
           "PREFECT_MCP_LINK_REPORT": str(report)}
    # Many search folders make clang's command line too long for one exec: it then writes a response file.
    padding = [arg for i in range(2500) for arg in ("-Xlinker", f"-L{tmp_path}/{'search-folder-' * 4}{i}")] if long_command_line else []
    out = tmp_path / name
    subprocess.run(["swiftc", "-O", "-use-ld=lld", f"-ld-path={ROOT / 'scripts/release-ld'}", "-o", str(out),
                    str(tmp_path / "main.swift.o"), str(tmp_path / "checked.cpp.o"), "-lstdc++", *padding],
                   env=env, check=True, capture_output=True, text=True)
    if not keep:
        assert report.read_text() == f"swift objects: 1\nresponse files: {int(long_command_line)}\n"
    return out


def test_swift_objects_lose_their_unwind_tables_and_cxx_exceptions_still_work(tmp_path):
    (tmp_path / "checked.cpp").write_text(CXX)
    (tmp_path / "main.swift").write_text(SWIFT)
    subprocess.run([toolchain_tool("clang++"), "-O1", "-fPIC", "-c", str(tmp_path / "checked.cpp"), "-o", str(tmp_path / "checked.cpp.o")],
                   check=True)
    subprocess.run(["swiftc", "-O", "-c", str(tmp_path / "main.swift"), "-o", str(tmp_path / "main.swift.o"), "-module-name", "main"],
                   check=True, cwd=tmp_path)

    kept = build(tmp_path, "kept", keep=True, long_command_line=False)
    for long_command_line in (False, True):
        lean = build(tmp_path, f"lean-{long_command_line}", keep=False, long_command_line=long_command_line)
        for binary in (kept, lean):
            run = subprocess.run([str(binary)], capture_output=True, text=True, timeout=30)
            assert run.returncode == 0 and run.stdout.split() == ["2", "-2"], (binary, run)
        assert frame_descriptions(lean) < frame_descriptions(kept), long_command_line
        copies = list((tmp_path / "cache").glob("*main.swift.o"))
        assert len(copies) == 1, list((tmp_path / "cache").iterdir())
        sections = subprocess.run(["readelf", "-S", str(copies[0])], capture_output=True, text=True, check=True).stdout
        assert ".eh_frame" not in sections and ".text" in sections
        original = subprocess.run(["readelf", "-S", str(tmp_path / "main.swift.o")], capture_output=True, text=True,
                                  check=True).stdout
        assert ".eh_frame" in original, "the Swift object had unwind tables to leave out"
    assert not list((tmp_path / "cache").glob("response-*")), "response files are removed after the link"
