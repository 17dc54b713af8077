using TlsEngine.Datagram;
using Xunit;

namespace TlsEngine.Tests.Datagram;

public class ReplayWindowTests
{
    private const ulong Max = ReplayWindow.MaxSequence;

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(1000UL)]
    [InlineData(Max)]
    public void First_record_is_accepted_whatever_its_number(ulong first)
    {
        var window = new ReplayWindow();
        Assert.Null(window.Highest);
        Assert.Equal(0UL, window.NextExpected);

        Assert.True(window.Accept(first));

        Assert.Equal(first, window.Highest);
        Assert.Equal(RecordDrop.Duplicate, window.Check(first));
    }

    [Fact]
    public void In_order_records_are_accepted_and_each_replay_is_a_duplicate()
    {
        var window = new ReplayWindow();
        for (ulong s = 0; s < 200; s++)
        {
            Assert.Equal(RecordDrop.None, window.Check(s));
            Assert.True(window.Accept(s));
            Assert.Equal(s + 1, window.NextExpected);
        }

        for (ulong s = 200 - ReplayWindow.Size; s < 200; s++)
        {
            Assert.Equal(RecordDrop.Duplicate, window.Check(s));
            Assert.False(window.Accept(s));
        }
    }

    [Fact]
    public void Window_edge_is_exactly_size_records_wide()
    {
        var window = new ReplayWindow();
        window.Accept(100);

        // 100 - 63 is the oldest slot still tracked; 100 - 64 has slid out.
        Assert.Equal(RecordDrop.None, window.Check(100 - (ReplayWindow.Size - 1)));
        Assert.Equal(RecordDrop.TooOld, window.Check(100 - ReplayWindow.Size));
        Assert.True(window.Accept(100 - (ReplayWindow.Size - 1)));
        Assert.Equal(RecordDrop.Duplicate, window.Check(100 - (ReplayWindow.Size - 1)));
        Assert.False(window.Accept(100 - ReplayWindow.Size));
    }

    [Fact]
    public void Records_below_the_first_are_accepted_within_the_window()
    {
        var window = new ReplayWindow();
        window.Accept(10);

        Assert.True(window.Accept(3));
        Assert.True(window.Accept(0));
        Assert.Equal(10UL, window.Highest);
        Assert.Equal(RecordDrop.Duplicate, window.Check(0));
        Assert.Equal(RecordDrop.None, window.Check(5));
    }

    [Fact]
    public void Out_of_order_records_fill_holes_once()
    {
        var window = new ReplayWindow();
        foreach (ulong s in new ulong[] { 5, 2, 9, 7, 1, 8, 3 })
        {
            Assert.True(window.Accept(s));
        }

        foreach (ulong s in new ulong[] { 5, 2, 9, 7, 1, 8, 3 })
        {
            Assert.Equal(RecordDrop.Duplicate, window.Check(s));
        }

        foreach (ulong s in new ulong[] { 0, 4, 6, 10 })
        {
            Assert.Equal(RecordDrop.None, window.Check(s));
        }
    }

    [Fact]
    public void Slide_by_less_than_the_window_keeps_the_older_bits()
    {
        var window = new ReplayWindow();
        window.Accept(10);
        window.Accept(12);
        window.Accept(10 + ReplayWindow.Size - 1);

        // 10 is now the oldest tracked slot; 11 is a hole; 12 is remembered.
        Assert.Equal(RecordDrop.Duplicate, window.Check(10));
        Assert.Equal(RecordDrop.None, window.Check(11));
        Assert.Equal(RecordDrop.Duplicate, window.Check(12));

        window.Accept(10 + ReplayWindow.Size);
        Assert.Equal(RecordDrop.TooOld, window.Check(10));
        Assert.Equal(RecordDrop.None, window.Check(11));
    }

    [Theory]
    [InlineData(64UL)]
    [InlineData(65UL)]
    [InlineData(1000UL)]
    [InlineData(1UL << 40)]
    public void Far_jump_forgets_everything_before_the_new_window(ulong jump)
    {
        var window = new ReplayWindow();
        for (ulong s = 0; s < 10; s++)
        {
            window.Accept(s);
        }

        Assert.True(window.Accept(9 + jump));

        Assert.Equal(9 + jump, window.Highest);
        for (ulong back = 1; back < ReplayWindow.Size; back++)
        {
            ulong s = 9 + jump - back;
            Assert.Equal(s <= 9 ? RecordDrop.Duplicate : RecordDrop.None, window.Check(s));
        }

        Assert.Equal(RecordDrop.TooOld, window.Check(9 + jump - ReplayWindow.Size));
        Assert.Equal(RecordDrop.TooOld, window.Check(0));
    }

    [Fact]
    public void Jump_of_exactly_the_window_size_drops_all_old_bits()
    {
        var window = new ReplayWindow();
        window.Accept(0);
        window.Accept(ReplayWindow.Size);

        Assert.Equal(RecordDrop.TooOld, window.Check(0));
        for (ulong s = 1; s < ReplayWindow.Size; s++)
        {
            Assert.Equal(RecordDrop.None, window.Check(s));
        }
    }

    [Fact]
    public void Sequence_numbers_beyond_48_bits_are_refused_and_the_last_one_is_accepted()
    {
        var window = new ReplayWindow();
        Assert.Equal(RecordDrop.SequenceOutOfRange, window.Check(Max + 1));
        Assert.Equal(RecordDrop.SequenceOutOfRange, window.Check(ulong.MaxValue));
        Assert.False(window.Accept(Max + 1));
        Assert.Null(window.Highest);

        Assert.True(window.Accept(Max - 1));
        Assert.True(window.Accept(Max));
        Assert.Equal(RecordDrop.Duplicate, window.Check(Max));
        Assert.Equal(RecordDrop.SequenceOutOfRange, window.Check(Max + 1));
        Assert.Equal(RecordDrop.None, window.Check(Max - 2));
        Assert.Equal(RecordDrop.TooOld, window.Check(Max - ReplayWindow.Size));
    }

    [Fact]
    public void Check_alone_never_moves_the_window()
    {
        var window = new ReplayWindow();
        window.Accept(5);
        Assert.Equal(RecordDrop.None, window.Check(500));

        Assert.Equal(5UL, window.Highest);
        Assert.Equal(RecordDrop.None, window.Check(4));
    }

    [Fact]
    public void Matches_a_set_model_over_random_traffic()
    {
        var random = new Random(1234);
        var window = new ReplayWindow();
        var seen = new HashSet<ulong>();
        ulong highest = 0;
        bool any = false;
        for (int i = 0; i < 20000; i++)
        {
            ulong s = (ulong)Math.Max(0, (long)highest + random.Next(-80, 40));
            if (random.Next(500) == 0)
            {
                s = highest + (ulong)random.Next(60, 200);
            }

            RecordDrop expected = any && s + ReplayWindow.Size <= highest ? RecordDrop.TooOld
                : seen.Contains(s) ? RecordDrop.Duplicate
                : RecordDrop.None;
            Assert.Equal(expected, window.Check(s));
            if (expected == RecordDrop.None)
            {
                Assert.True(window.Accept(s));
                seen.Add(s);
                highest = any ? Math.Max(highest, s) : s;
                any = true;
            }
        }
    }
}
