//! `Get-Help about_*`: conceptual topics on mailsh itself and on the parts
//! of the language an administrator meets first, laid out as PowerShell's
//! about_ files (TOPIC, SHORT DESCRIPTION, LONG DESCRIPTION).

pub struct Topic {
    pub name: &'static str,
    pub synopsis: &'static str,
    pub body: &'static str,
}

pub const TOPICS: &[Topic] = &[
    Topic {
        name: "about_mailsh",
        synopsis: "What mailsh is and where to start.",
        body: "    mailsh is an Exchange Management Shell for mail access: the cmdlets that
    decide who may reach a mailbox over IMAP4 and POP3 and how (Get-/Set-
    CASMailbox, Get-/Set-ImapSettings, Get-/Set-PopSettings), mailboxes
    (New-/Set-/Remove-/Get-Mailbox), and the four Exchange mail services
    (Get-/Start-/Stop-/Restart-/Set-Service, net start/stop).

    Get-Command lists every command; Get-Help <command> shows its syntax and
    -Examples, -Full or -Parameter <name> show more. Get-Help about_* lists
    these topics.
",
    },
    Topic {
        name: "about_mailsh_Shell",
        synopsis: "Keys, completion, history, confirmation and Ctrl-C in the interactive shell.",
        body: "    Tab completes commands, parameters, values, mailbox names, variables,
    the properties of a variable's objects and file paths. Up and Down walk
    the history, Ctrl-R searches it. History is kept beside the store and
    written after every line.

    Ctrl-C stops what runs, or abandons a question being asked, and brings
    the prompt back; it never ends the shell.

    Commands that change state take -WhatIf (describe, change nothing) and
    -Confirm (ask first). See about_CommonParameters and
    about_Preference_Variables.

    Passwords typed at a prompt show one * per character and are kept
    neither in the history nor in a transcript.
",
    },
    Topic {
        name: "about_CommonParameters",
        synopsis: "Parameters every command takes.",
        body: "    Every command takes -Verbose, -Debug, -ErrorAction, -WarningAction,
    -InformationAction, -ErrorVariable, -WarningVariable, -InformationVariable,
    -OutVariable, -OutBuffer and -PipelineVariable.

    Commands that change state also take:

    -WhatIf
        Describes what the command would do (\"What if: ...\") and changes
        nothing.

    -Confirm
        Asks before each change: [Y] Yes, [A] Yes to All, [N] No,
        [L] No to All. -Confirm:$false never asks, even for commands that
        ask on their own such as Remove-Mailbox.
",
    },
    Topic {
        name: "about_Preference_Variables",
        synopsis: "Variables that change how commands behave.",
        body: "    $ErrorActionPreference    Continue, Stop, SilentlyContinue, Inquire, Ignore
    $WarningPreference        Continue, Stop, SilentlyContinue
    $VerbosePreference        SilentlyContinue (default) or Continue
    $ConfirmPreference        High (default): commands rated High ask before
                              each change (Remove-Mailbox); Medium or Low make
                              more commands ask; None asks never.
    $WhatIfPreference         $false (default); $true acts as -WhatIf on every
                              command that changes state.
    $FormatEnumerationLimit   How many items of a list a table or list shows (4).
",
    },
];

pub fn find(name: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// The topic as PowerShell prints an about_ file.
pub fn text(t: &Topic) -> String {
    format!("\nTOPIC\n    {}\n\nSHORT DESCRIPTION\n    {}\n\nLONG DESCRIPTION\n{}\n", t.name, t.synopsis, t.body)
}
