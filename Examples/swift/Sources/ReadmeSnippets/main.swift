// Runs every ```swift block of the repository's README.md, in order. The blocks
// are in Snippets.swift, which Scripts/readme_snippets.py generates (make examples
// does it; the file is not committed); a block that does not compile fails the
// build at its README line, one that throws fails the run.
import Foundation

var failed = 0
for snippet in readmeSnippets {
    do {
        try snippet.run()
        print("README.md:\(snippet.line): ok")
    } catch {
        print("README.md:\(snippet.line): threw \(error)")
        failed += 1
    }
}
print("\(readmeSnippets.count - failed) of \(readmeSnippets.count) README Swift snippets ran")
exit(failed == 0 ? 0 : 1)
