"""``offramp completion bash|zsh``: a shell completion script generated from the real parser
by shtab, so it never falls behind a new command or option."""
from __future__ import annotations

from .common import example

SHELLS = ("bash", "zsh")


def register(sub) -> None:
    p = sub.add_parser("completion", help="print a tab-completion script for bash or zsh",
                       description="Print a completion script for every offramp command and option.",
                       epilog=example("offramp completion bash > ~/.local/share/bash-completion/completions/offramp\n"
                                      "offramp completion zsh > ~/.zfunc/_offramp   # with fpath+=~/.zfunc"))
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(func=cmd_completion)


def cmd_completion(args) -> int:
    import shtab

    from . import build_parser

    print(shtab.complete(build_parser(), shell=args.shell), end="")
    return 0
