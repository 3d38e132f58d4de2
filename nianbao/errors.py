"""One exception hierarchy, translated to a message at the CLI and web edges only."""


class NianbaoError(Exception):
    """Base of every error a user can cause or must be told about; str() is the Chinese message."""

    exit_code = 1


class ConfigError(NianbaoError):
    """A setting is missing or malformed; the message names the setting."""


class DocumentError(NianbaoError):
    """A document cannot be read as an annual report (exit 2 at the CLI)."""

    exit_code = 2


class UnreadableDocument(DocumentError):
    """Bytes that no extractor can read: empty, corrupt, encrypted, too large."""


class UnsupportedFormat(DocumentError):
    """A media type nianbao does not read."""


class MissingTool(DocumentError):
    """An external program (LibreOffice) needed for this format is not installed."""


class NeedsOCR(DocumentError):
    """A scanned or image-only document: there is no text layer to read."""


class NotAReport(DocumentError):
    """Readable text, but not a 政府信息公开工作年度报告."""


class RegistryError(NianbaoError):
    """A registry CSV that cannot be read at all (bad rows are reported, not raised)."""


class NotFound(NianbaoError):
    """A requested organisation, report or document does not exist."""
