using System.ComponentModel.DataAnnotations;
using Interflow.Api.OpenApi;
using Interflow.Core.Accounts;

namespace Interflow.Api.Admin;

// The documented shapes of the operator bodies; AdminApi's handlers validate them.

public sealed record NewAccountBody(
    [property: Required, Length(1, 200)] string Name,
    [property: Required, EnumOf(typeof(Plan))] string Plan);
