namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// <c>application.recording_ready</c> (tavus-protocol.md §E). Older callbacks carry <see cref="BucketName"/>,
/// <see cref="S3Key"/> and <see cref="Duration"/>; newer ones <see cref="StorageProvider"/> and <see cref="StorageUri"/>.
/// </summary>
public sealed record RecordingReadyWebhookEvent : TavusWebhookEvent
{
    /// <summary>The S3 bucket of the recording (<c>bucket_name</c>; older shape).</summary>
    public string? BucketName { get; init; }

    /// <summary>The S3 key of the recording (<c>s3_key</c>; older shape).</summary>
    public string? S3Key { get; init; }

    /// <summary>The recording's length in seconds (<c>duration</c>; older shape).</summary>
    public double? Duration { get; init; }

    /// <summary>Where the recording is stored, such as <c>s3</c>, <c>gcs</c> or <c>azure</c> (<c>storage_provider</c>; newer shape).</summary>
    public string? StorageProvider { get; init; }

    /// <summary>The recording's URI in that storage (<c>storage_uri</c>; newer shape).</summary>
    public string? StorageUri { get; init; }

    /// <summary>
    /// The recording's location in either shape: <see cref="StorageUri"/>, or <c>s3://{bucket}/{key}</c> built from
    /// the older fields, or <see langword="null"/>.
    /// </summary>
    public string? Location => StorageUri
        ?? (BucketName is not null && S3Key is not null ? $"s3://{BucketName}/{S3Key.TrimStart('/')}" : null);
}
