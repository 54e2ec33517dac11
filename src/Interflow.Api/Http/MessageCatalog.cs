using System.Globalization;
using Interflow.Core.Validation;

namespace Interflow.Api.Http;

/// <summary>The message catalogue, pt-BR and English side by side so that neither falls behind.</summary>
public static class MessageCatalog
{
    private static readonly Dictionary<ErrorText, (string Pt, string En)> Top = new()
    {
        [ErrorText.InvalidFields] = ("A requisição contém {0} campos inválidos", "The request has {0} invalid fields"),
        [ErrorText.InvalidJson] = ("O corpo da requisição não é um JSON válido (linha {0}, posição {1})", "The request body is not valid JSON (line {0}, position {1})"),
        [ErrorText.InvalidUtf8] = ("O corpo da requisição não é UTF-8 válido: byte inválido na posição {0} (linha {1}, coluna {2})", "The request body is not valid UTF-8: invalid byte at offset {0} (line {1}, column {2})"),
        [ErrorText.DuplicateProperty] = ("O corpo da requisição repete a propriedade '{0}'", "The request body repeats the property '{0}'"),
        [ErrorText.BodyRequired] = ("O corpo da requisição é obrigatório", "A request body is required"),
        [ErrorText.MissingApiKey] = ("Chave de API ausente: envie o header 'Authorization: Bearer <api_key>'", "Missing API key: send the header 'Authorization: Bearer <api_key>'"),
        [ErrorText.InvalidApiKey] = ("Chave de API inválida ou revogada", "Invalid or revoked API key"),
        [ErrorText.ApiKeyExpired] = ("Chave de API expirada em {0}: gere uma nova em Configurações → API Keys", "API key expired at {0}: generate a new one in Settings → API Keys"),
        [ErrorText.PermissionDenied] = ("Esta chave restrita não tem a permissão {0}", "This restricted key lacks the permission {0}"),
        [ErrorText.ConsoleSignInRequired] = ("Entre no console para continuar", "Sign in to the console to continue"),
        [ErrorText.ConsoleReadOnly] = ("Seu papel nesta conta ({0}) não permite alterar chaves", "Your role in this account ({0}) cannot change keys"),
        [ErrorText.AntiForgeryTokenMissing] = ("Token anti-falsificação ausente ou inválido: envie o header X-CSRF-Token da sua sessão", "Missing or invalid anti-forgery token: send your session's X-CSRF-Token header"),
        [ErrorText.SignInLinkInvalid] = ("Link de acesso inválido, já usado ou expirado: peça um novo", "Sign-in link invalid, already used or expired: ask for a new one"),
        [ErrorText.LocalSignInOff] = ("Links de acesso são só para uso local: aqui o acesso é pelo login da plataforma", "Sign-in links are for local runs only: here you sign in with the platform's login"),
        [ErrorText.KeyNotActive] = ("Esta chave já foi revogada ou expirou e não pode ser rotacionada", "This key is revoked or expired and cannot be rolled"),
        [ErrorText.InvalidSignature] = ("Assinatura X-Hub-Signature-256 ausente ou inválida", "Missing or invalid X-Hub-Signature-256 signature"),
        [ErrorText.InvalidAdminKey] = ("Chave de administração ausente ou inválida", "Missing or invalid admin key"),
        [ErrorText.RouteNotFound] = ("Rota não encontrada: {0}", "Route not found: {0}"),
        [ErrorText.ResourceNotFound] = ("Recurso não encontrado", "Resource not found"),
        [ErrorText.MethodNotAllowed] = ("Método {0} não permitido nesta rota; permitidos: {1}", "Method {0} is not allowed on this route; allowed: {1}"),
        [ErrorText.ValueInUse] = ("O valor do campo '{0}' já está em uso", "The value of '{0}' is already in use"),
        [ErrorText.IdempotencyInProgress] = ("Uma requisição com esta Idempotency-Key ainda está em processamento", "A request with this Idempotency-Key is still being processed"),
        [ErrorText.VersionChanged] = ("O recurso foi alterado: o If-Match não corresponde à versão atual", "The resource has changed: If-Match does not match its current version"),
        [ErrorText.PayloadTooLarge] = ("O corpo da requisição excede o limite de 1 MiB", "The request body exceeds the 1 MiB limit"),
        [ErrorText.UnsupportedMediaType] = ("O Content-Type deve ser application/json", "Content-Type must be application/json"),
        [ErrorText.IdempotencyKeyReused] = ("Esta Idempotency-Key já foi usada com outra requisição", "This Idempotency-Key was already used with a different request"),
        [ErrorText.RateLimitExceeded] = ("Limite de requisições excedido; tente novamente em {0} segundos", "Rate limit exceeded; retry in {0} seconds"),
        [ErrorText.InternalError] = ("Erro interno; informe ao suporte o X-Request-Id {0}", "Internal error; quote X-Request-Id {0} to support"),
        [ErrorText.ServiceUnavailable] = ("Serviço temporariamente indisponível; tente novamente", "Service temporarily unavailable; please retry"),
    };

    private static readonly Dictionary<FieldProblem, (string Pt, string En)> Field = new()
    {
        [FieldProblem.Required] = ("Campo obrigatório", "Field is required"),
        [FieldProblem.MustBeString] = ("Deve ser um texto", "Must be a string"),
        [FieldProblem.MustBeInteger] = ("Deve ser um número inteiro", "Must be an integer"),
        [FieldProblem.MustBeNumber] = ("Deve ser um número", "Must be a number"),
        [FieldProblem.NotFound] = ("Não encontrado nesta conta e ambiente", "Not found in this account and environment"),
        [FieldProblem.InvalidUrl] = ("Deve ser uma URL https absoluta", "Must be an absolute https URL"),
        [FieldProblem.Unresolvable] = ("O host não pôde ser resolvido", "The host could not be resolved"),
        [FieldProblem.ForbiddenAddress] = ("Endereços privados, de loopback, link-local ou de metadados não são permitidos", "Private, loopback, link-local or metadata addresses are not allowed"),
        [FieldProblem.MustBeArray] = ("Deve ser uma lista", "Must be an array"),
        [FieldProblem.MustBeObject] = ("Deve ser um objeto", "Must be an object"),
        [FieldProblem.MustBeScalar] = ("Deve ser texto, número ou booleano", "Must be a string, number or boolean"),
        [FieldProblem.TooLong] = ("Deve ter no máximo {0} caracteres", "Must be at most {0} characters long"),
        [FieldProblem.TooShort] = ("Deve ter no mínimo {0} caractere(s)", "Must be at least {0} character(s) long"),
        [FieldProblem.TooManyItems] = ("Deve ter no máximo {0} itens", "Must have at most {0} items"),
        [FieldProblem.OutOfRange] = ("Deve estar entre {0}", "Must be between {0}"),
        [FieldProblem.InvalidEmail] = ("E-mail inválido", "Invalid email address"),
        [FieldProblem.InvalidPhone] = ("Telefone inválido: use um número real no formato E.164 sem '+', ex.: 5511999999999", "Invalid phone: use a real number in E.164 digits without '+', e.g. 5511999999999"),
        [FieldProblem.InvalidValue] = ("Valor inválido; aceitos: {0}", "Invalid value; accepted: {0}"),
        [FieldProblem.UnknownField] = ("Campo desconhecido", "Unknown field"),
        [FieldProblem.OneOfRequired] = ("Informe ao menos um destes campos: {0}", "Provide at least one of these fields: {0}"),
        [FieldProblem.MustNotBeNull] = ("Não pode ser nulo", "Must not be null"),
        [FieldProblem.ControlCharacter] = ("Não pode conter caracteres de controle (encontrado {0}); em textos e legendas de mensagens, tabulação e quebra de linha são aceitas", "Must not contain control characters (found {0}); message text and captions accept tab and line breaks"),
        [FieldProblem.InvalidUnicode] = ("Contém um caractere Unicode inválido (surrogate UTF-16 sem par)", "Contains invalid Unicode (an unpaired UTF-16 surrogate)"),
        [FieldProblem.AlreadyInUse] = ("Já está em uso por outro registro", "Already used by another record"),
        [FieldProblem.InvalidCursor] = ("Cursor inválido: use o meta.next_cursor de uma resposta anterior, ou vazio para começar", "Invalid cursor: use meta.next_cursor from an earlier answer, or empty to start"),
        [FieldProblem.NotWithCursor] = ("Não pode ser usado junto com cursor: um percurso por cursor não tem páginas numeradas", "Cannot be used with cursor: a walk by cursor has no page numbers"),
    };

    public static string Text(ErrorText message, Language language, params object?[] args) =>
        Format(Pick(Top[message], language), args);

    /// <summary>The short form that goes into <c>details[].message</c>.</summary>
    public static string Detail(FieldError error, Language language) =>
        Format(Pick(Field[error.Problem], language), RangeText(error.Limit, language));

    /// <summary>The top-level message of a validation error naming its single field, as in the seed.</summary>
    public static string Single(FieldError error, Language language) => (error.Problem, language) switch
    {
        (FieldProblem.Required, Language.Portuguese) => $"O campo '{error.Field}' é obrigatório",
        (FieldProblem.Required, _) => $"The field '{error.Field}' is required",
        (_, Language.Portuguese) => $"O campo '{error.Field}' é inválido: {Lower(Detail(error, language))}",
        _ => $"The field '{error.Field}' is invalid: {Lower(Detail(error, language))}",
    };

    private static object? RangeText(object? limit, Language language) => limit switch
    {
        (int min, int max) => language == Language.Portuguese ? $"{min} e {max}" : $"{min} and {max}",
        (double min, double max) => language == Language.Portuguese ? $"{min.ToString(CultureInfo.InvariantCulture)} e {max.ToString(CultureInfo.InvariantCulture)}" : $"{min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}",
        _ => limit,
    };

    private static string Pick((string Pt, string En) texts, Language language) =>
        language == Language.English ? texts.En : texts.Pt;

    private static string Format(string template, params object?[] args) =>
        args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args);

    private static string Lower(string text) => char.ToLowerInvariant(text[0]) + text[1..];
}
