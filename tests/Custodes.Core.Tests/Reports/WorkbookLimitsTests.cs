using System.Diagnostics;
using Custodes.Common;
using Custodes.Reports.Spreadsheets;
using Custodes.SupplyChain.Questionnaires;
using Custodes.Testing;

namespace Custodes.Core.Tests.Reports;

/// <summary>A workbook is checked against its limits before it is loaded: small files that load into gigabytes are refused with the limit they break.</summary>
public sealed class WorkbookLimitsTests
{
    private static BadInputException Refused(byte[] workbook) => Assert.Throws<BadInputException>(() => WorkbookImport.Read(workbook, "hostile.xlsx"));

    [Fact]
    public void Two_million_cells_are_refused_quickly_and_without_loading_the_workbook()
    {
        // The workbook from the security report: under 1 MB on disk, 13 s of CPU and 420 MB of memory when loaded.
        var workbook = HostileWorkbooks.Cells(20_000, 100);
        Assert.True(workbook.Length < 1024 * 1024, $"{workbook.Length:N0} bytes");
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var e = Refused(workbook);
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Contains("more than 250,000 cells", e.Message);
        Assert.Contains("Requirements", e.Message);
        Assert.Equal("hostile.xlsx", e.File);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.True(allocated < 64L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_cell_far_down_or_far_right_is_refused_naming_the_sheet_and_cell()
    {
        var down = Refused(HostileWorkbooks.CellAt(1_048_576, "A"));
        Assert.Contains("row 1048576", down.Message);
        Assert.Contains("at most 20,000 rows", down.Message);
        Assert.Equal("Requirements!1048576:1048576", down.Path);
        var right = Refused(HostileWorkbooks.CellAt(1, "XFD"));
        Assert.Contains("at most 256 columns", right.Message);
        Assert.Equal("Requirements!XFD1", right.Path);
    }

    [Fact]
    public void A_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_inflated()
    {
        var bomb = HostileWorkbooks.Bomb(8);
        Assert.True(bomb.Length < 128 * 1024, $"{bomb.Length:N0} bytes");
        var e = Refused(bomb);
        Assert.Contains("xl/worksheets/sheet1.xml inflates from", e.Message);
        Assert.Contains("more than 100:1", e.Message);
        Assert.Equal("xl/worksheets/sheet1.xml", e.Path);
    }

    [Fact]
    public void A_workbook_that_inflates_past_64_MB_is_refused()
    {
        var e = Refused(HostileWorkbooks.Bomb(70));
        Assert.Contains("inflates to more than 64 MB", e.Message);
    }

    [Fact]
    public void A_part_that_inflates_past_the_size_it_declares_is_refused()
    {
        // Inflating stops at the declared size, so the part is cut short: refused as damaged, never inflated past what was checked.
        var lying = HostileWorkbooks.UnderstateSize(HostileWorkbooks.Cells(200, 10), "xl/worksheets/sheet1.xml", 1_000);
        Refused(lying);
        // Two million cells declared as 1,000 bytes: refused in moments, not loaded.
        var hidden = HostileWorkbooks.UnderstateSize(HostileWorkbooks.Cells(20_000, 100), "xl/worksheets/sheet1.xml", 1_000);
        var watch = Stopwatch.StartNew();
        Refused(hidden);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Too_many_parts_and_too_many_shared_strings_are_refused()
    {
        Assert.Contains("at most 1,000", Refused(HostileWorkbooks.Parts(1_200)).Message);
        Assert.Contains("more than 250,000 shared strings", Refused(HostileWorkbooks.SharedStrings(260_000)).Message);
    }

    [Fact]
    public void A_questionnaire_workbook_has_the_same_limits()
    {
        var e = Assert.Throws<BadInputException>(() => QuestionnaireXlsx.Read(new MemoryStream(HostileWorkbooks.Cells(19_000, 15, "Questionnaire")), "filled.xlsx"));
        Assert.Contains("more than 250,000 cells", e.Message);
        Assert.Equal("filled.xlsx", e.File);
    }

    [Fact]
    public void A_workbook_within_the_limits_passes_the_check()
    {
        XlsxLimits.Check(HostileWorkbooks.Cells(20_000, 12), "big-but-fine.xlsx");
        XlsxLimits.Check(HostileWorkbooks.CellAt(20_000, "IV"), "corner.xlsx");
    }
}
