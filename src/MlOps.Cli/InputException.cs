namespace MlOps.Cli;

/// <summary>
/// Bad input from the user (a file, a column, an option value). The command prints the message as one line and
/// exits with <see cref="ExitCodes.BadInput"/>; no stack trace reaches the user.
/// </summary>
internal sealed class InputException(string message) : Exception(message);
