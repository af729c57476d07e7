"""Errors a user can cause (a bad path, a bad targets file, an output spec naming nothing).

They carry a location when there is one (``FILE:LINE:COL``) and make the command line exit
with status 2, as the engine does for a bad config; anything else is a bug and exits 1.
"""


class UserError(Exception):
    """A mistake in the user's input: printed as ``where: error: what`` and, if given, ``fix: how``.

    :param message: what is wrong
    :param where: ``FILE:LINE:COL``, a path, or None
    :param fix: how to fix it, or None
    """

    def __init__(self, message, where=None, fix=None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.fix = fix

    def __str__(self):
        text = f"{self.where}: error: {self.message}" if self.where else f"error: {self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class UserErrors(UserError):
    """Several mistakes found at once (e.g. every error of a targets file), printed one per entry.

    :param errors: the UserErrors, in file order
    """

    def __init__(self, errors):
        super().__init__(errors[0].message, errors[0].where, errors[0].fix)
        self.errors = list(errors)

    def __str__(self):
        return "\n".join(UserError.__str__(e) for e in self.errors)
