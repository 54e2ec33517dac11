using Interflow.Api.OpenApi;

namespace Interflow.Functions.Tests;

/// <summary>The committed OpenAPI documents are what the code generates: they are never edited by hand.</summary>
public sealed class OpenApiDocumentFilesTests
{
    [Theory]
    [InlineData("docs/openapi.json", true)]
    [InlineData("docs/openapi.internal.json", false)]
    public void The_committed_document_is_the_generated_one(string path, bool isPublic)
    {
        var generated = isPublic ? OpenApiDocuments.Public : OpenApiDocuments.Internal;
        var committed = File.Exists(Path.Combine(Repository.Root, path)) ? Repository.Read(path) : "";
        Assert.True(committed == generated, $"{path} differs from the document the code generates: run `bash scripts/openapi.sh` and commit the result.");
    }
}
