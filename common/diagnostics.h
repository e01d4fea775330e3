// SPDX-License-Identifier: Apache-2.0
// The warnings sink every stage reports into, and the one error type for bad input.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vpcprove {

/** How much a diagnostic matters (after Batfish's Warnings: red flag / unimplemented / pedantic). */
enum class Severity {
  Warning,        ///< the input is odd or refers to something missing; the model made a documented choice
  Unimplemented,  ///< valid AWS input vpcprove does not model; the model widened or marked it (see message)
  Note,           ///< informational (ignored resource kinds, non-live resources skipped)
};

/** One message about the input. file and resource are empty when unknown. */
struct Diagnostic {
  Severity severity = Severity::Warning;
  std::string code;      ///< stable machine-readable kind, e.g. "dangling-reference"
  std::string message;   ///< for people; names both ends of a dangling reference
  std::string file;      ///< snapshot file the resource came from
  std::string resource;  ///< AWS ID of the resource the message is about
};

/** Collects diagnostics in the order they are reported. Not thread-safe. */
class Diagnostics {
 public:
  void report(Diagnostic d) { items_.push_back(std::move(d)); }
  void warn(std::string code, std::string message, std::string file = {}, std::string resource = {}) {
    report({Severity::Warning, std::move(code), std::move(message), std::move(file), std::move(resource)});
  }
  void unimplemented(std::string code, std::string message, std::string file = {},
                     std::string resource = {}) {
    report(
        {Severity::Unimplemented, std::move(code), std::move(message), std::move(file), std::move(resource)});
  }
  void note(std::string code, std::string message, std::string file = {}, std::string resource = {}) {
    report({Severity::Note, std::move(code), std::move(message), std::move(file), std::move(resource)});
  }
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }

 private:
  std::vector<Diagnostic> items_;
};

/**
 * Malformed input: broken JSON, wrong types, out-of-range values, a missing path.
 * Thrown by the loader and the spec parsers only; the CLI maps it to exit code 2.
 * what() is the whole message and already names the file and, where known, the resource.
 */
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& file, const std::string& resource, const std::string& detail)
      : std::runtime_error(compose(file, resource, detail)), file_(file), resource_(resource) {}
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& resource() const { return resource_; }

 private:
  static std::string compose(const std::string& file, const std::string& resource,
                             const std::string& detail) {
    std::string m = file.empty() ? std::string{} : file + ": ";
    if (!resource.empty()) m += resource + ": ";
    return m + detail;
  }
  std::string file_;
  std::string resource_;
};

}  // namespace vpcprove
