using TlsEngine;
using TlsEngine.Records;
using Xunit;

namespace TlsEngine.Tests.Records;

/// <summary>
/// The whole record-policy matrix (RFC 8446 §5, RFC 5246 §6): every epoch, content type and
/// protection, written out independently of the table it checks.
/// </summary>
public class RecordPolicyTests
{
    // One row per epoch; columns: plaintext CCS, alert, handshake, app data | protected CCS, alert, handshake, app data.
    // "ok" is legal; anything else is the expected reason's name.
    private static readonly Dictionary<ReadEpoch, string[]> Expected = new()
    {
        [ReadEpoch.Plaintext] = new[] { "ok", "ok", "ok", "UnexpectedContentType", "-", "-", "-", "-" },
        [ReadEpoch.EarlyData] = new[] { "ok", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnexpectedChangeCipherSpec", "ok", "ok", "ok" },
        [ReadEpoch.Handshake] = new[] { "ok", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnexpectedChangeCipherSpec", "ok", "ok", "UnexpectedContentType" },
        [ReadEpoch.Application] = new[] { "UnexpectedChangeCipherSpec", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnexpectedChangeCipherSpec", "ok", "ok", "ok" },
        [ReadEpoch.Tls12Handshake] = new[] { "UnexpectedChangeCipherSpec", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnexpectedChangeCipherSpec", "ok", "ok", "UnexpectedContentType" },
        [ReadEpoch.Tls12Application] = new[] { "UnexpectedChangeCipherSpec", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnprotectedRecordUnderKeys", "UnexpectedChangeCipherSpec", "ok", "ok", "ok" },
    };

    private static readonly ContentType[] Types = { ContentType.ChangeCipherSpec, ContentType.Alert, ContentType.Handshake, ContentType.ApplicationData };

    public static IEnumerable<object[]> Matrix()
    {
        foreach ((ReadEpoch epoch, string[] row) in Expected)
        {
            for (int column = 0; column < 8; column++)
            {
                if (row[column] != "-")
                {
                    yield return new object[] { epoch.ToString(), Types[column % 4].ToString(), column >= 4, row[column] };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Record_policy_matrix(string epoch, string type, bool wasProtected, string expected)
    {
        TlsFailureReason? verdict = RecordPolicy.Check(Enum.Parse<ReadEpoch>(epoch), Enum.Parse<ContentType>(type), wasProtected);
        Assert.Equal(expected, verdict?.ToString() ?? "ok");
        if (verdict is TlsFailureReason reason)
        {
            Assert.Equal(TlsAlertDescription.UnexpectedMessage, TlsFailureReasons.Alert(reason));
        }
    }

    [Fact]
    public void Every_epoch_is_covered_by_the_matrix()
    {
        Assert.Equal(Enum.GetValues<ReadEpoch>().OrderBy(e => e), Expected.Keys.OrderBy(e => e));
    }
}
