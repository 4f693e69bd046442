// Commits as the reference server prints them. The reference formats
// GitPython objects with Python's str() and repr(), so the texts here
// reproduce those: repr() of a string, GitPython's Actor repr, and
// str(datetime) of the author date in the author's own offset.
#pragma once

#include <git2.h>

#include <string>
#include <string_view>

namespace mcpgw::git {

// Python's repr() of a str (quotes chosen and characters escaped as CPython
// does for ASCII and Latin-1 controls; other characters are kept).
std::string PythonRepr(std::string_view utf8);

// GitPython's repr(Actor): <git.Actor "Name <email>">.
std::string ActorRepr(const git_signature& who);

// str(datetime) with its UTC offset: 2024-01-15 14:30:25+02:00.
std::string PythonDateTime(const git_time& when);

// git's default date format (log's %ad): Mon Jan 15 14:30:25 2024 +0200.
std::string GitDefaultDate(const git_time& when);

// git_log's entry without time filters (and git_show's header):
// Commit: 'sha'\nAuthor: <git.Actor "...">\nDate: ...\nMessage: '...'\n
std::string ReprCommitEntry(const git_commit* commit);

// git_log's entry with time filters, from `git log --format=%H%n%an%n%ad%n%s`:
// Commit: sha\nAuthor: name\nDate: <git date>\nMessage: subject\n
std::string PlainCommitEntry(const git_commit* commit);

}  // namespace mcpgw::git
