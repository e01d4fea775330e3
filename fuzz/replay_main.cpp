// SPDX-License-Identifier: Apache-2.0
// A main for the fuzz harnesses without libFuzzer: replays saved inputs, so every crash a
// fuzzer ever found stays a regression test in the ordinary (g++) build.
//
//   fuzz_replay_<name> FILE_OR_DIR...   exit 0 when every input ran; a crash is the failure.
//   fuzz_replay_<name> --expect-finding FILE
//       runs the input in a child process; exit 0 while it still crashes (an open finding),
//       1 once it no longer does (fixed: move it to fuzz/regressions/).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::cout << "replay " << file.string() << " (" << bytes.size() << " bytes)\n" << std::flush;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--expect-finding") {
    const pid_t pid = ::fork();
    if (pid == 0) {
      replay(argv[2]);
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      std::cout << "FIXED: " << argv[2] << " no longer crashes; move it to fuzz/regressions/\n";
      return 1;
    }
    std::cout << "still open: " << argv[2] << " crashes (see fuzz/open/README.md)\n";
    return 0;
  }
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = argv[i];
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg)) {
        if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) replay(f), ++count;
    } else if (std::filesystem::is_regular_file(arg)) {
      replay(arg), ++count;
    } else {
      std::cerr << "fuzz_replay: no such file or directory: " << arg.string() << '\n';
      return 2;
    }
  }
  std::cout << "replayed " << count << " inputs, no crash\n";
  return 0;
}
